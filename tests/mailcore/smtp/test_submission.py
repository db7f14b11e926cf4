"""Submission (587 with STARTTLS, 465 with implicit TLS): AUTH, sender rules, rate limit,
lockout; mail to remote recipients is queued for the outbound queue."""
import smtplib
from email.message import EmailMessage

import pytest

from mailcore.delivery.models import QueueRecipient
from mailcore.directory.services import create_alias, create_app_password
from mailcore.store.models import Message

from .conftest import client_tls_context, wait_for

PASSWORD = "correct horse battery staple"


def mail(sender="alice@example.test", to="carol@example.net", subject="hi"):
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message.set_content("hello\n")
    return message


@pytest.fixture
def submission(mail_host):
    client = smtplib.SMTP("127.0.0.1", mail_host.ports["submission"], timeout=10)
    client.starttls(context=client_tls_context())
    yield client
    try:
        client.quit()
    except smtplib.SMTPException:
        client.close()


def test_auth_plain_then_send_to_remote_and_local(alice, bob, submission):
    submission.login("alice@example.test", PASSWORD)
    submission.send_message(mail(to="carol@example.net, bob@example.test"), "alice@example.test",
                            ["carol@example.net", "bob@example.test"])
    remote = QueueRecipient.objects.get(address="carol@example.net")
    assert remote.kind == "remote" and remote.message.source == "submission"
    wait_for(lambda: Message.objects.filter(account=bob).exists(), what="local delivery")


def test_auth_login_mechanism_and_app_passwords(alice, submission):
    _app, secret = create_app_password("alice@example.test", "phone")
    submission.ehlo()
    submission.user, submission.password = "alice@example.test", secret
    code, _reply = submission.auth("LOGIN", submission.auth_login, initial_response_ok=False)
    assert code == 235


def test_mail_needs_auth_and_wrong_passwords_are_refused(alice, submission):
    with pytest.raises(smtplib.SMTPSenderRefused) as refused:
        submission.sendmail("alice@example.test", ["carol@example.net"], b"Subject: x\r\n\r\ny\r\n")
    assert refused.value.smtp_code == 530
    with pytest.raises(smtplib.SMTPAuthenticationError) as failed:
        submission.login("alice@example.test", "wrong password")
    assert failed.value.smtp_code == 535


def test_sender_must_be_own_address_or_alias(alice, submission):
    create_alias("sales@example.test", ["alice@example.test"])
    submission.login("alice@example.test", PASSWORD)
    submission.send_message(mail(sender="sales@example.test"), "sales@example.test", ["carol@example.net"])
    with pytest.raises(smtplib.SMTPSenderRefused):
        submission.send_message(mail(sender="bob@example.test"), "bob@example.test", ["carol@example.net"])
    with pytest.raises(smtplib.SMTPDataError) as forged:
        submission.send_message(mail(sender="ceo@example.net"), "alice@example.test", ["carol@example.net"])
    assert forged.value.smtp_code == 553


def test_the_send_rate_limit(alice, submission, settings):
    settings.HOPTHU_SEND_RATE_PER_HOUR = 2
    submission.login("alice@example.test", PASSWORD)
    for _ in range(2):
        submission.send_message(mail(), "alice@example.test", ["carol@example.net"])
    with pytest.raises(smtplib.SMTPDataError) as limited:
        submission.send_message(mail(), "alice@example.test", ["carol@example.net"])
    assert limited.value.smtp_code == 451


def test_repeated_failures_lock_the_account_out(alice, mail_host, settings):
    settings.HOPTHU_AUTH_MAX_FAILURES = 3
    settings.HOPTHU_AUTH_MAX_DELAY_SECONDS = 0
    codes = []
    for _ in range(4):
        client = smtplib.SMTP("127.0.0.1", mail_host.ports["submission"], timeout=10)
        client.starttls(context=client_tls_context())
        try:
            client.login("alice@example.test", "wrong password")
        except smtplib.SMTPAuthenticationError as error:
            codes.append(error.smtp_code)
        client.close()
    assert codes[-1] == 454
    client = smtplib.SMTP("127.0.0.1", mail_host.ports["submission"], timeout=10)
    client.starttls(context=client_tls_context())
    with pytest.raises(smtplib.SMTPAuthenticationError) as locked:
        client.login("alice@example.test", PASSWORD)  # even the right password, while locked
    assert locked.value.smtp_code == 454
    client.close()


def test_implicit_tls_submission(alice, mail_host):
    client = smtplib.SMTP_SSL("127.0.0.1", mail_host.ports["submissions"], context=client_tls_context(), timeout=10)
    client.login("alice@example.test", PASSWORD)
    client.send_message(mail(), "alice@example.test", ["carol@example.net"])
    client.quit()


def test_no_auth_without_tls_from_a_non_loopback_view(alice, mail_host, settings):
    settings.HOPTHU_LOOPBACK_IS_SECURE = False
    client = smtplib.SMTP("127.0.0.1", mail_host.ports["submission"], timeout=10)
    client.ehlo()
    assert not client.has_extn("auth")
    code, _reply = client.docmd("AUTH", "PLAIN AGFsaWNlAHNlY3JldA==")
    assert code == 538
    client.close()
