"""Forgot password: allauth's reset link mailed through HopThu's own queue (django_mail.py)
to the recovery address, and the new password opening IMAP as well as the browser."""
import re
from email import message_from_bytes, policy

import pytest
from django.core import mail
from django.core.cache import cache

from mailcore.delivery.local import deliver_due_local
from mailcore.delivery.models import QueuedMessage, QueueRecipient
from mailcore.store.fetch import fetch_raw
from mailcore.store.models import Message
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a brand new passphrase 42"


@pytest.fixture(autouse=True)
def hopthu_mail(settings):
    # The test runner swaps in Django's in-memory backend; these tests are about ours.
    settings.EMAIL_BACKEND = "mailcore.delivery.django_mail.EmailBackend"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()  # allauth counts requests in the cache, which outlives a test's database
    yield
    cache.clear()


@pytest.fixture
def recovers_to_bob(alice, bob):
    from webmail.preferences.recovery import set_recovery_address

    set_recovery_address(alice, "bob@example.test")
    return alice


def reset_mail_in(account) -> str:
    [stored] = Message.objects.filter(account=account, folder__name="INBOX")
    parsed = message_from_bytes(fetch_raw(stored), policy=policy.default)
    return parsed.get_body(("plain",)).get_content()


def test_the_reset_link_is_queued_delivered_and_sets_a_password_imap_accepts(client, recovers_to_bob, bob):
    from mailcore.auth.credentials import check_credentials
    from mailcore.auth.errors import AuthFailed

    response = client.post("/accounts/password/reset/", {"email": "bob@example.test"})
    assert response.status_code == 302
    queued = QueuedMessage.objects.get(source=QueuedMessage.Source.SYSTEM)
    assert queued.mail_from.startswith("postmaster@")
    assert QueueRecipient.objects.get(message=queued).kind == "local"
    assert deliver_due_local() == 1
    body = reset_mail_in(bob)
    assert "alice@example.test" in body  # the mail names the account it resets
    link = re.search(r"https?://testserver(/accounts/password/reset/key/\S+/)", body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    done = client.post(set_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302

    assert check_credentials("alice@example.test", NEW_PASSWORD, "127.0.0.1", "imap") == recovers_to_bob
    with pytest.raises(AuthFailed):
        check_credentials("alice@example.test", PASSWORD, "127.0.0.1", "imap")
    client.post("/accounts/logout/")
    signed_in = client.post("/accounts/login/", {"login": "alice@example.test", "password": NEW_PASSWORD})
    assert signed_in.status_code == 302 and signed_in.wsgi_request.user == recovers_to_bob.user


def reset_through_mail(client, bob, password=NEW_PASSWORD):
    client.post("/accounts/password/reset/", {"email": "bob@example.test"})
    deliver_due_local()
    link = re.search(r"https?://testserver(/accounts/password/reset/key/\S+/)", reset_mail_in(bob)).group(1)
    page = client.get(link, follow=True)
    set_url = page.redirect_chain[-1][0] if page.redirect_chain else link
    assert client.post(set_url, {"password1": password, "password2": password}).status_code == 302
    return link


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_real_imap_client_logs_in_with_the_new_password(client, recovers_to_bob, bob, settings, tmp_path):
    import imaplib

    from mailcore.imap.listeners import FACTORIES
    from tests.support.hosts import running_host

    reset_through_mail(client, bob)
    with running_host(settings, tmp_path, FACTORIES, ("imap",)) as host:
        imap = imaplib.IMAP4("127.0.0.1", host.ports["imap"], timeout=10)
        try:
            with pytest.raises(imaplib.IMAP4.error):
                imap.login("alice@example.test", PASSWORD)
            assert imap.login("alice@example.test", NEW_PASSWORD)[0] == "OK"
        finally:
            imap.logout()


def test_the_reset_page_asks_for_the_recovery_address(client):
    html = client.get("/accounts/password/reset/").content.decode()
    assert "recovery address" in html
    assert 'href="/accounts/password/reset/"' in client.get("/accounts/login/").content.decode()


def test_a_used_link_does_not_work_twice(client, recovers_to_bob, bob):
    link = reset_through_mail(client, bob)
    again = client.get(link, follow=True)
    assert "password1" not in again.content.decode()


def test_an_unknown_address_sends_nothing_anyone_could_abuse(client, alice):
    # allauth's default mails "no account here" to any address typed in: anyone could make
    # this server send mail to strangers.
    response = client.post("/accounts/password/reset/", {"email": "stranger@example.net"})
    assert response.status_code == 302  # the same answer: nobody learns which addresses exist
    assert not QueuedMessage.objects.exists()


def test_requests_are_rate_limited(client, recovers_to_bob):
    answers = [client.post("/accounts/password/reset/", {"email": "bob@example.test"}).status_code
               for _attempt in range(5)]
    assert answers[:3] == [302, 302, 302]
    assert 429 in answers[3:]
    assert QueuedMessage.objects.filter(source=QueuedMessage.Source.SYSTEM).count() == 3


def test_mail_to_a_remote_address_waits_for_the_outbound_queue(client, alice):
    from webmail.preferences.recovery import set_recovery_address

    set_recovery_address(alice, "alice.home@example.net")
    client.post("/accounts/password/reset/", {"email": "alice.home@example.net"})
    recipient = QueueRecipient.objects.get()
    assert (recipient.kind, recipient.domain, recipient.status) == ("remote", "example.net", "queued")


def test_the_backend_signs_mail_from_a_hosted_domain(alice, settings):
    from django.core.mail import EmailMessage

    from mailcore.dkim.keys import create_key
    from mailcore.store import blobs

    create_key("example.test")
    sent = EmailMessage("Hello", "Body", "HopThu <noreply@example.test>", ["Bob <bob@example.net>"]).send()
    assert sent == 1
    queued = QueuedMessage.objects.get()
    raw = blobs.read(queued.blob.digest)
    assert raw.startswith(b"DKIM-Signature:") and b"d=example.test" in raw[:400]
    assert queued.mail_from == "noreply@example.test"
    assert QueueRecipient.objects.get().address == "bob@example.net"
    assert re.search(rb"Message-ID: <[^>]+@example\.test>", raw)
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")


def test_a_header_injection_is_refused_before_anything_is_queued(alice):
    from django.core.mail import BadHeaderError, EmailMessage

    with pytest.raises(BadHeaderError):
        EmailMessage("Hi\r\nBcc: x@example.net", "Body", "noreply@example.test", ["bob@example.net"]).send()
    assert not QueuedMessage.objects.exists()
    assert mail.get_connection().__class__.__module__ == "mailcore.delivery.django_mail"
