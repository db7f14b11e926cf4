"""The null reverse-path `MAIL FROM:<>`: what every DSN, MDN and auto-reply uses.

RFC 5321 §4.5.5 and §6.1, RFC 3834 §3.3, RFC 3464 §2. Refusing it refuses every bounce.
"""
from email.message import EmailMessage

import pytest

from mailcore.delivery.models import QueuedMessage, QueueRecipient
from mailcore.store.fetch import fetch_raw
from mailcore.store.models import Message

from .conftest import wait_for


def bounce(to="alice@example.test", subject="Undelivered Mail Returned to Sender"):
    mail = EmailMessage()
    mail["From"] = "MAILER-DAEMON@mail.example.net"
    mail["To"] = to
    mail["Subject"] = subject
    mail["Auto-Submitted"] = "auto-replied"
    mail.set_content("Your message could not be delivered.\n")
    return mail


def inbox(account):
    return Message.objects.filter(account=account, folder__name="INBOX").order_by("uid")


def test_rfc5321_4_5_5_null_reverse_path_is_delivered(alice, mx):
    mx.ehlo("mail.example.net")
    assert mx.mail("<>") == (250, b"2.1.0 OK")
    assert mx.rcpt("<alice@example.test>")[0] == 250
    assert mx.data(bounce().as_string())[0] == 250
    stored = wait_for(lambda: inbox(alice).first(), what="delivery of the bounce")
    raw = fetch_raw(stored)
    assert raw.startswith(b"Return-Path: <>\r\n")  # RFC 5321 §4.4: the null path, as given
    assert QueuedMessage.objects.get().mail_from == ""


@pytest.mark.parametrize("command", [
    "MAIL FROM:<>",
    "MAIL FROM: <>",  # a space after the colon, as aiosmtpd (and Postfix) tolerate
    "mail from:<>",  # RFC 5321 §2.4: verbs and argument keywords are case-insensitive
    "MAIL FROM:<> SIZE=1000",  # RFC 1870
    "MAIL FROM:<> BODY=8BITMIME",  # RFC 6152
    "MAIL FROM:<> SMTPUTF8",  # RFC 6531
    "MAIL FROM:<> SIZE=1000 BODY=8BITMIME SMTPUTF8",
    "MAIL FROM:<>\tSIZE=1000",  # a tab before the parameters
    "MAIL FROM:<>SIZE=1000",  # no space at all: aiosmtpd tolerates it, as Postfix does
    "MAIL FROM:<> ",  # a trailing space
])
def test_rfc5321_4_1_1_2_null_reverse_path_with_parameters_is_accepted(alice, mx, command):
    mx.ehlo("mail.example.net")
    code, reply = mx.docmd(command)
    assert (code, reply) == (250, b"2.1.0 OK"), command
    assert mx.rcpt("<alice@example.test>")[0] == 250
    assert mx.data(bounce(subject=command).as_string())[0] == 250
    stored = wait_for(lambda: inbox(alice).first(), what="delivery")
    assert stored.subject == " ".join(command.split())  # the Subject field folds the whitespace


def test_rfc5321_4_1_1_2_a_second_mail_after_the_null_path_is_a_nested_mail(alice, mx):
    """The null path must still count as "a MAIL was given": no second MAIL, RCPT allowed."""
    mx.ehlo("mail.example.net")
    assert mx.mail("<>")[0] == 250
    assert mx.mail("<bob@example.net>")[0] == 503  # RFC 5321 §4.1.4: MAIL once per transaction
    assert mx.rcpt("<alice@example.test>")[0] == 250
    mx.rset()
    assert mx.rcpt("<alice@example.test>")[0] == 503  # RSET forgot the null path too


def test_rfc5321_4_1_1_2_an_oversized_null_sender_message_is_refused_at_mail(alice, mx, settings):
    mx.ehlo("mail.example.net")
    code, _reply = mx.docmd(f"MAIL FROM:<> SIZE={settings.HOPTHU_MAX_MESSAGE_SIZE + 1}")
    assert code == 552  # RFC 1870 §6.1
    assert not QueueRecipient.objects.exists()


def test_rfc6409_the_null_sender_on_submission_still_needs_the_users_own_from(alice, mail_host):
    """Submission takes <> from an authenticated user (MDNs, RFC 8098 §2.1; auto-replies,
    RFC 3834 §3.3), but the From header must still be one of the user's addresses."""
    import smtplib

    from .conftest import client_tls_context
    with smtplib.SMTP("127.0.0.1", mail_host.ports["submission"], timeout=10) as client:
        client.starttls(context=client_tls_context())
        client.ehlo("laptop")
        assert client.mail("<>")[0] == 530  # RFC 6409 §4.3: nothing before AUTH, <> included
        client.login("alice@example.test", "correct horse battery staple")
        assert client.mail("<>")[0] == 250
        client.rcpt("<carol@example.net>")
        code, reply = client.data(bounce(to="carol@example.net").as_string())  # From: MAILER-DAEMON@...
        assert (code, reply[:5]) == (553, b"5.7.1")
    assert not QueueRecipient.objects.exists()
