"""The relay port for applications and devices: relay tokens (SMTP AUTH) and allowlisted
networks, each limited to its sender addresses and its rate (docs/relay.md)."""
import smtplib
from email.message import EmailMessage

import pytest

from mailcore.delivery.models import QueueRecipient
from mailcore.directory.services import create_domain_alias, update_domain
from mailcore.relay import services
from mailcore.relay.models import RelayNetwork, RelayToken
from mailcore.store.fetch import fetch_raw
from mailcore.store.models import Message

from .conftest import client_tls_context, wait_for
from .test_real_clients import run, tool

PASSWORD = "correct horse battery staple"


def mail(sender="billing@example.test", to="customer@example.net", subject="Invoice 42"):
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message.set_content("Your invoice is attached.\n")
    return message


@pytest.fixture
def token(domain):
    grant, secret = services.create_token("example.test", "invoices app", senders=["billing@example.test"])
    return grant.username, secret


@pytest.fixture
def relay(mail_host):
    client = smtplib.SMTP("127.0.0.1", mail_host.ports["relay"], timeout=10)
    yield client
    try:
        client.quit()
    except smtplib.SMTPException:
        client.close()


def test_a_token_sends_as_its_sender_to_remote_and_local_recipients(token, alice, relay):
    relay.starttls(context=client_tls_context())
    relay.login(*token)
    refused = relay.send_message(mail(to="customer@example.net, alice@example.test"), "billing@example.test",
                                 ["customer@example.net", "alice@example.test"])
    assert refused == {}
    remote = QueueRecipient.objects.get(address="customer@example.net")
    assert (remote.kind, remote.message.source, remote.message.account_id) == ("remote", "relay", None)
    stored = wait_for(lambda: Message.objects.filter(account=alice).first(), what="local delivery")
    assert b"with ESMTPSA" in fetch_raw(stored)
    assert RelayToken.objects.get().last_used is not None


def test_without_a_grant_nothing_is_relayed(domain, relay):
    relay.ehlo()
    code, reply = relay.mail("billing@example.test")
    assert (code, reply[:5]) == (530, b"5.7.0")
    relay.rset()
    assert relay.noop()[0] == 250  # the session lives on


def test_a_token_may_not_send_as_other_addresses(token, relay):
    relay.login(*token)  # loopback counts as secure (HOPTHU_LOOPBACK_IS_SECURE)
    code, _reply = relay.mail("ceo@example.test")
    assert code == 553
    code, _reply = relay.mail("<>")  # applications do not send bounces
    assert code == 553
    with pytest.raises(smtplib.SMTPDataError) as forged:  # the From header is checked too
        relay.send_message(mail(sender="ceo@example.test"), "billing@example.test", ["customer@example.net"])
    assert forged.value.smtp_code == 553
    assert not QueueRecipient.objects.exists()


def test_a_domain_wide_grant_covers_its_domain_aliases(domain, relay):
    create_domain_alias("example.vn", "example.test")
    _grant, secret = services.create_token("example.test", "crm")
    relay.login(RelayToken.objects.get().username, secret)
    relay.send_message(mail(sender="sales@example.vn"), "anyone@example.test", ["customer@example.net"])
    with pytest.raises(smtplib.SMTPSenderRefused):
        relay.send_message(mail(sender="x@example.org"), "x@example.org", ["customer@example.net"])


def test_wrong_secrets_account_passwords_and_disabled_tokens_are_refused(token, alice, relay, settings):
    settings.HOPTHU_AUTH_MAX_DELAY_SECONDS = 0
    username, secret = token
    for user, password in ((username, "not-the-secret"), ("alice@example.test", PASSWORD)):
        with pytest.raises(smtplib.SMTPAuthenticationError) as refused:
            relay.login(user, password)
        assert refused.value.smtp_code == 535
    services.set_grant_active(RelayToken, "example.test", "invoices app", False)
    with pytest.raises(smtplib.SMTPAuthenticationError):
        relay.login(username, secret)
    update_domain("example.test", active=False)
    services.set_grant_active(RelayToken, "example.test", "invoices app", True)
    with pytest.raises(smtplib.SMTPAuthenticationError):
        relay.login(username, secret)


def test_a_token_is_no_account_password_on_submission(token, mail_host, settings):
    settings.HOPTHU_AUTH_MAX_DELAY_SECONDS = 0
    with smtplib.SMTP("127.0.0.1", mail_host.ports["submission"], timeout=10) as client, \
            pytest.raises(smtplib.SMTPAuthenticationError):
        client.login(*token)


def test_repeated_wrong_secrets_lock_the_address_out(token, relay, settings):
    settings.HOPTHU_AUTH_MAX_FAILURES_PER_IP = 3
    settings.HOPTHU_AUTH_MAX_DELAY_SECONDS = 0
    username, secret = token
    for _attempt in range(3):
        with pytest.raises(smtplib.SMTPAuthenticationError):
            relay.login(username, "guess")
    with pytest.raises(smtplib.SMTPAuthenticationError) as locked:
        relay.login(username, secret)  # the right secret, but the address is locked
    assert locked.value.smtp_code == 454


def test_the_grant_rate_limit(domain, relay):
    _grant, secret = services.create_token("example.test", "newsletter", rate_per_hour=2)
    relay.login(RelayToken.objects.get().username, secret)
    for _message in range(2):
        relay.send_message(mail(), "billing@example.test", ["customer@example.net"])
    with pytest.raises(smtplib.SMTPDataError) as limited:
        relay.send_message(mail(), "billing@example.test", ["customer@example.net"])
    assert limited.value.smtp_code == 451
    assert QueueRecipient.objects.count() == 2


def test_an_allowlisted_network_relays_without_auth(domain, alice, relay):
    services.create_network("example.test", "office printers", "127.0.0.0/8", senders=["scanner@example.test"])
    relay.send_message(mail(sender="scanner@example.test", subject="Scan"), "scanner@example.test",
                       ["customer@example.net"])
    assert QueueRecipient.objects.get().message.source == "relay"
    with pytest.raises(smtplib.SMTPSenderRefused) as refused:
        relay.send_message(mail(sender="billing@example.test"), "billing@example.test", ["customer@example.net"])
    assert refused.value.smtp_code == 553


def test_a_network_that_does_not_hold_the_client_admits_nothing(domain, relay):
    services.create_network("example.test", "branch office", "192.0.2.0/24")
    services.create_network("example.test", "off", "127.0.0.1", senders=["scanner@example.test"])
    services.set_grant_active(RelayNetwork, "example.test", "off", False)
    relay.ehlo()
    assert relay.mail("scanner@example.test")[0] == 530


def test_swaks_with_a_relay_token_over_starttls(token, mail_host):
    username, secret = token
    result = run(tool("swaks"), "--server", f"127.0.0.1:{mail_host.ports['relay']}", "--tls",
                 "--auth", "LOGIN", "--auth-user", username, "--auth-password", secret,
                 "--from", "billing@example.test", "--to", "customer@example.net",
                 "--header", "From: billing@example.test", "--header", "Subject: via swaks")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "250 2.0.0 OK: queued as" in result.stdout
    assert QueueRecipient.objects.get().address == "customer@example.net"
