"""Messages the scan tests send, and the MX fixtures (a running mail core on loopback)."""
import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import pytest

from tests.mailcore.smtp.conftest import mail_host, mx  # noqa: F401 (the MX listener fixtures)

HIDDEN = '<div style="display:none">' + "cheap watches best prices buy now " * 3 + "</div>"
MISMATCHED = '<a href="http://login.attacker.example/x">https://www.example.test/account</a>'


@pytest.fixture(autouse=True)
def filter_settings(settings):
    from mailcore.filters import greylist

    settings.HOPTHU_HOSTNAME = "mx.example.test"
    settings.HOPTHU_DNSBL_ZONES = ""
    greylist.clear_cache()
    yield
    greylist.clear_cache()  # a greylisting domain of this test must not greylist the next one


def clean_message(subject="Lunch on Friday?", sender="bob@example.net", to="alice@example.test") -> EmailMessage:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = f"Bob <{sender}>", to, subject
    mail["Date"] = formatdate()
    mail["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2])
    mail.set_content("Shall we meet at noon?\n")
    mail.add_alternative("<p>Shall we meet at <b>noon</b>?</p>", subtype="html")
    return mail


def spammy_message(to="alice@example.test") -> bytes:
    """A hosted domain's From from outside, no Date or Message-ID, HTML-only with hidden
    text and a link showing one domain while going to another."""
    return (
        f"From: Support <support@example.test>\r\nTo: {to}\r\nSubject: Your account is locked\r\n"
        "MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
        f"<html><body><p>Unlock it here: {MISMATCHED}</p>{HIDDEN}</body></html>\r\n"
    ).encode()


def crlf(raw: bytes) -> bytes:
    """Lines ending in CRLF (EmailMessage.as_bytes() ends them in LF; the MX refuses bare LF)."""
    return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def send_raw(port: int, raw: bytes, *, helo="mail.example.net", sender="bob@example.net",
             recipients=("alice@example.test",)):
    """(RCPT replies, DATA reply) of one transaction; the DATA reply is None when no RCPT passed."""
    raw = crlf(raw)
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.ehlo(helo)
        client.mail(sender)
        replies = [client.rcpt(address) for address in recipients]
        if not any(code == 250 for code, _text in replies):
            return replies, None
        return replies, client.data(raw)
