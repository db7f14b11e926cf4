"""Building the message a user sends or keeps as a draft (Python's email package).

RFC 5322 fields: Date in the user's zone, a Message-ID under the account's own domain,
In-Reply-To and References for replies (§3.6.4). The body is text/plain, or
multipart/alternative with the text first and the sanitised HTML last (RFC 2046 §5.1.4:
the last part is the preferred one). Non-ASCII subjects and names become RFC 2047
encoded-words, file names RFC 2231 parameters; the SMTP policy writes CRLF lines.
"""
from dataclasses import dataclass, field
from email import policy as email_policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from django.utils import timezone

USER_AGENT = "HopThu"


@dataclass
class Attachment:
    filename: str
    content_type: str
    data: bytes


@dataclass
class Draft:
    """What compose holds: everything needed to build (or rebuild) the message."""

    sender: tuple[str, str]  # (display name, address)
    to: list = field(default_factory=list)  # [(name, address)]
    cc: list = field(default_factory=list)
    bcc: list = field(default_factory=list)
    subject: str = ""
    text: str = ""
    html: str = ""  # already sanitised
    attachments: list = field(default_factory=list)  # [Attachment]
    in_reply_to: str = ""
    references: str = ""

    @property
    def recipients(self) -> list[str]:
        return [address for _name, address in (*self.to, *self.cc, *self.bcc)]


def _address(name: str, address: str) -> Address:
    localpart, _at, domain = address.rpartition("@")
    return Address(display_name=name, username=localpart, domain=domain)


def _address_list(policy, header: str, pairs) -> str:
    """An address list, folded after each comma (RFC 5322 §3.4, §3.2.2).

    Each mailbox is folded alone by the email package, which writes the display name as
    RFC 2047 encoded-words (§5(3): in a phrase) or quotes it (RFC 5322 §3.2.4). The list
    is not folded by it as a whole: after an encoded-word it folds the comma that follows
    into an encoded-word of its own ("=?utf-8?q?=2C?="), which joins two recipients.
    """
    mailboxes = []
    for name, address in pairs:
        folded = policy.header_factory(header, [_address(name, address)]).fold(policy=policy)
        mailboxes.append(folded[len(header) + 2:].rstrip("\r\n"))
    return f",{policy.linesep} ".join(mailboxes)


def _one_line(text: str) -> str:
    # Header values must not carry line breaks (a header injection otherwise).
    return " ".join(text.split())


def build(draft: Draft, domain: str, zone=None, keep_bcc: bool = True) -> bytes:
    """Return the message as bytes with CRLF line endings.

    keep_bcc: the Bcc field stays in what the user keeps (Sent, Drafts, a scheduled
    copy); submission.submit removes it from what leaves (RFC 5322 §3.6.3).
    """
    addresses = [draft.sender[1], *draft.recipients]
    # An internationalised address (RFC 6532) needs the UTF-8 policy; others stay 7-bit.
    policy = email_policy.SMTP if all(a.isascii() for a in addresses) else email_policy.SMTPUTF8
    # Address fields are folded here (set_raw) and must be written as they are.
    message = EmailMessage(policy=policy.clone(refold_source="none"))
    message["From"] = _address(*draft.sender)
    for header, pairs in (("To", draft.to), ("Cc", draft.cc), ("Bcc", draft.bcc if keep_bcc else [])):
        if pairs:
            message.set_raw(header, _address_list(message.policy, header, pairs))
    message["Subject"] = _one_line(draft.subject)
    message["Date"] = format_datetime(timezone.localtime(timezone.now(), zone))
    message["Message-ID"] = make_msgid(domain=domain)
    if draft.in_reply_to:
        message["In-Reply-To"] = _one_line(draft.in_reply_to)
    if draft.references:
        message["References"] = _one_line(draft.references)
    message["User-Agent"] = USER_AGENT
    message.set_content(_lines(draft.text))
    if draft.html:
        message.add_alternative(draft.html, subtype="html")
    for attachment in draft.attachments:
        maintype, _slash, subtype = attachment.content_type.partition("/")
        if not subtype or maintype in ("multipart", "message"):
            maintype, subtype = "application", "octet-stream"
        message.add_attachment(attachment.data, maintype=maintype, subtype=subtype,
                               filename=attachment.filename or "attachment")
    return message.as_bytes()


def _lines(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text if text.endswith("\n") else text + "\n"
