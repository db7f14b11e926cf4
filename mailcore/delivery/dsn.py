"""Delivery status notifications: the report sent back to the sender of failed mail.

An RFC 3464 report (multipart/report, RFC 6522) with three parts: words for a person
(translated, English by default), the machine-readable delivery status, and the
original message, or only its header section when it is large or when the report is a
"delayed" warning. It goes out with the null reverse-path (RFC 5321 §4.5.5) so that a
report never causes another one; should_bounce() is the rule that prevents the loop.
"""
import quopri
import re
import secrets
from datetime import datetime
from email.header import Header
from email.utils import format_datetime, make_msgid

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .outbound.result import Result

MAX_ORIGINAL_BYTES = 64 * 1024  # above this, only the header section goes back (Postfix: 50 000)
MAX_DIAGNOSTIC_CHARS = 900  # a field line stays under RFC 5322 §2.1.1's 998 octets
_LINE_END_RE = re.compile(rb"\r\n|\r|\n")
_UNSAFE_RE = re.compile(r"[^\x20-\x7e]")


def should_bounce(mail_from: str) -> bool:
    """Whether a failure of mail from `mail_from` may be reported back to it.

    Never to the null reverse-path "<>": RFC 5321 §4.5.5 and §6.1 (and RFC 3464 §2)
    forbid reporting on a report, which is what mail from <> is, since two servers
    that each bounce the other's bounces would loop forever.
    """
    return bool(mail_from and mail_from.strip().strip("<>").strip())


def build_dsn(original: bytes, mail_from: str, failures, *, delayed: bool = False,
              reporting_mta: str | None = None, arrival_date: datetime | None = None,
              retry_until: datetime | None = None, language: str | None = None) -> bytes:
    """Return the report (CRLF line endings) on `original` for its sender `mail_from`.

    failures: [(recipient, Result or (code, enhanced, text))]. delayed=True makes a
    warning that delivery is still being tried (Action: delayed) rather than a bounce.
    Send it with the null reverse-path. Raises ValueError when should_bounce() says no.
    """
    if not should_bounce(mail_from):
        raise ValueError("no report is sent to the null reverse-path (RFC 5321 §4.5.5)")
    mta = reporting_mta or settings.HOPTHU_HOSTNAME
    reports = [(recipient, _as_result(outcome)) for recipient, outcome in failures]
    original = _LINE_END_RE.sub(b"\r\n", original)
    whole = not delayed and len(original) <= int(getattr(settings, "HOPTHU_DSN_MAX_ORIGINAL", MAX_ORIGINAL_BYTES))
    boundary = f"=_hopthu_report_{secrets.token_hex(12)}"
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        subject = _("Delayed Mail (still being retried)") if delayed else _("Undelivered Mail Returned to Sender")
        human = _human_text(mta, reports, delayed, whole, retry_until)
        sender_name = _("Mail Delivery System")
    head = [
        f"From: {_encode(sender_name)} <MAILER-DAEMON@{mta}>",
        f"To: <{mail_from.strip().strip('<>')}>",
        f"Subject: {_encode(subject)}",
        f"Date: {format_datetime(timezone.now())}",
        f"Message-ID: {make_msgid('dsn', domain=mta)}",
        "Auto-Submitted: auto-replied",  # RFC 3834 §5: automatic; filters must not answer it
        "MIME-Version: 1.0",
        f'Content-Type: multipart/report; report-type=delivery-status; boundary="{boundary}"',
    ]
    parts = [
        _human_part(human),
        _status_part(mta, reports, delayed, arrival_date, retry_until),
        _original_part(original, whole),
    ]
    lines = "\r\n".join(head).encode("utf-8") + b"\r\n\r\n"
    lines += b"This is a MIME-encapsulated delivery status notification.\r\n"
    for part in parts:
        lines += f"\r\n--{boundary}\r\n".encode("ascii") + part
    return lines + f"\r\n--{boundary}--\r\n".encode("ascii")


def _as_result(outcome) -> Result:
    if isinstance(outcome, Result):
        return outcome
    code, enhanced, text = outcome
    return Result(code=int(code), enhanced=enhanced, text=text, permanent=str(code).startswith("5"))


def _human_text(mta: str, reports: list[tuple[str, Result]], delayed: bool, whole: bool,
                retry_until: datetime | None) -> str:
    paragraphs = [_("This is the mail system at host %(host)s.") % {"host": mta}]
    if delayed and retry_until:
        paragraphs.append(_("Your message could not be delivered yet to the recipients below. The mail system "
                            "will keep trying until %(date)s; you do not need to send it again.")
                          % {"date": format_datetime(retry_until)})
    elif delayed:
        paragraphs.append(_("Your message could not be delivered yet to the recipients below. The mail system "
                            "will keep trying; you do not need to send it again."))
    else:
        paragraphs.append(_("Your message could not be delivered to the recipients below."))
    paragraphs.append("\n".join(f"<{recipient}>: {result.reply}" for recipient, result in reports))
    if not delayed:
        attached = _("Your message is attached.") if whole else _("The header section of your message is attached.")
        paragraphs.append(attached)
    paragraphs.append(_("If you need help, write to postmaster and include this report."))
    return "\n\n".join(paragraphs) + "\n"


def _human_part(text: str) -> bytes:
    body = text.replace("\n", "\r\n").encode("utf-8")
    if body.isascii():
        return b"Content-Type: text/plain; charset=us-ascii\r\n\r\n" + body
    # Quoted-printable keeps the report 7-bit, so it passes relays without 8BITMIME (RFC 6152).
    encoded = _LINE_END_RE.sub(b"\r\n", quopri.encodestring(text.encode("utf-8")))
    return (b"Content-Type: text/plain; charset=utf-8\r\n"
            b"Content-Transfer-Encoding: quoted-printable\r\n\r\n" + encoded)


def _status_part(mta: str, reports: list[tuple[str, Result]], delayed: bool,
                 arrival_date: datetime | None, retry_until: datetime | None) -> bytes:
    # RFC 6533 §3, §6.2: a non-ASCII address is typed utf-8 and needs the "global" report type.
    utf8 = not all(recipient.isascii() for recipient, _result in reports)
    blocks = [[f"Reporting-MTA: dns; {mta}"]]  # RFC 3464 §2.2: the per-message fields
    if arrival_date is not None:
        blocks[0].append(f"Arrival-Date: {format_datetime(arrival_date)}")
    now = format_datetime(timezone.now())
    for recipient, result in reports:  # RFC 3464 §2.3: one block per recipient
        block = [
            f"Final-Recipient: {'rfc822' if recipient.isascii() else 'utf-8'}; {_one_line(recipient, utf8)}",
            f"Action: {'delayed' if delayed else 'failed'}",
            f"Status: {result.enhanced}",
        ]
        if result.host:  # RFC 3464 §2.3.5: MUST name the remote MTA when a relay attempt failed
            block.append(f"Remote-MTA: dns; {result.host}")
        block.append(f"Diagnostic-Code: smtp; {_one_line(result.reply, utf8)}")
        block.append(f"Last-Attempt-Date: {now}")
        if delayed and retry_until is not None:
            block.append(f"Will-Retry-Until: {format_datetime(retry_until)}")
        blocks.append(block)
    kind = "message/global-delivery-status" if utf8 else "message/delivery-status"
    body = "\r\n\r\n".join("\r\n".join(block) for block in blocks) + "\r\n"
    return f"Content-Type: {kind}\r\n\r\n".encode("ascii") + body.encode("utf-8")


def _original_part(original: bytes, whole: bool) -> bytes:
    header_section = original.split(b"\r\n\r\n", 1)[0] + b"\r\n"
    content = original if whole else header_section
    # RFC 6532 §3.7, RFC 6533 §6.3: a header section in UTF-8 travels as message/global*.
    utf8_headers = not header_section.isascii()
    if whole:
        kind = "message/global" if utf8_headers else "message/rfc822"
    else:
        kind = "message/global-headers" if utf8_headers else "text/rfc822-headers"
    head = f"Content-Type: {kind}\r\n"
    if not content.isascii():
        head += "Content-Transfer-Encoding: 8bit\r\n"  # RFC 2046 §5.2.1: 7bit, 8bit or binary only
    return head.encode("ascii") + b"\r\n" + content


def _one_line(text: str, utf8: bool) -> str:
    text = " ".join(text.split())[:MAX_DIAGNOSTIC_CHARS]
    return text if utf8 else _UNSAFE_RE.sub("?", text)


def _encode(text: str) -> str:
    """A header value; RFC 2047 encoded-words when it is not ASCII (a translated subject)."""
    return text if text.isascii() else Header(text, "utf-8").encode()
