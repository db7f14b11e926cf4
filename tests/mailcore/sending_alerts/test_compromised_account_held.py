"""Issue 21 point 5, "Done when": a compromised-account pattern is held.

An account with a quiet history logs in over real SMTP submission (smtplib) and sends a
burst of 200 messages to 200 addresses it never wrote to. The first ones leave; once the
burst passes the domain's new-recipient threshold the rest stay queued, undelivered; the
domain's admin sees the notice on the dashboard and gets an email; Release lets the held
mail reach the remote sink.
"""
import smtplib
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mailcore.audit.models import AuditEntry
from mailcore.delivery.models import QueueRecipient
from mailcore.delivery.remote import deliver_due_remote
from mailcore.directory.models import DomainAdmin
from mailcore.sending_alerts import watch
from mailcore.sending_alerts.baseline import hour_of
from mailcore.sending_alerts.models import KnownRecipient, SendingHour, SendingState
from mailcore.store.models import Message
from tests.mailcore.smtp.conftest import client_tls_context, wait_for

pytestmark = pytest.mark.slow
PASSWORD = "correct horse battery staple"


def message(n: int) -> bytes:
    return (f"From: alice@example.test\r\nTo: victim{n}@example.net\r\nSubject: invoice {n}\r\n"
            f"Message-ID: <burst{n}@example.test>\r\n\r\nPlease pay.\r\n").encode()


def delivered_to_sink(remote) -> list[str]:
    return [address for received in remote.messages for address in received.rcpt_tos]


def flush():
    while deliver_due_remote(limit=100):
        pass


@pytest.fixture
def quiet_history(alice):
    """Two weeks of a few messages a day to the same few people."""
    now = hour_of(timezone.now())
    SendingHour.objects.bulk_create([SendingHour(account=alice, hour=now - timedelta(hours=h), messages=2,
                                                 recipients=2) for h in range(9, 14 * 24, 24)])
    KnownRecipient.objects.bulk_create([KnownRecipient(account=alice, address=f"friend{n}@example.net",
                                                       first_sent=now - timedelta(days=10)) for n in range(3)])
    watch.forget_usual()


@pytest.fixture
def domain_admin(domain, bob):
    """The domain's admin, whose address is bob's mailbox here."""
    user = get_user_model().objects.create_user("dora", email="bob@example.test", password=PASSWORD)
    DomainAdmin.objects.create(user=user, domain=domain)
    return user


def test_a_burst_to_new_recipients_is_held_and_released(mail_host, sink, publish_mx, settings, tmp_path,
                                                         alice, bob, quiet_history, domain_admin):
    settings.HOPTHU_MTA_STS, settings.HOPTHU_OUTBOUND_TLS = False, "may"
    settings.HOPTHU_DKIM_DIR = tmp_path / "dkim"
    # The project's own backend (pytest-django swaps in locmem): the notice is queued like any mail.
    settings.EMAIL_BACKEND = "mailcore.delivery.django_mail.EmailBackend"
    publish_mx("example.net", (10, "mx1.example.net", "127.0.0.1"))
    remote = sink()

    client = smtplib.SMTP("127.0.0.1", mail_host.ports["submission"], timeout=30)
    client.starttls(context=client_tls_context())
    client.login("alice@example.test", PASSWORD)
    for n in range(20):
        client.sendmail("alice@example.test", [f"victim{n}@example.net"], message(n))
    flush()  # the first ones leave: nothing looks wrong yet
    assert len(delivered_to_sink(remote)) == 20
    for n in range(20, 200):
        # Every message is still accepted (250): the sender learns nothing from a hold.
        client.sendmail("alice@example.test", [f"victim{n}@example.net"], message(n))
    client.quit()

    state = SendingState.objects.get(account=alice)
    assert state.held and state.reason == "new_recipients"
    assert "51 new recipients" in state.detail  # the domain's default threshold is 50
    flush()
    assert len(delivered_to_sink(remote)) == 20  # the other 180 stay queued
    waiting = QueueRecipient.objects.filter(message__account=alice, status="queued")
    assert waiting.count() == 180

    # The admin hears of it: an email in their mailbox, and the dashboard's notice with Release.
    wait_for(lambda: Message.objects.filter(account=bob, subject__contains="alice@example.test is held").exists(),
             timeout=10, what="the email to the domain's admin")
    admin = Client()
    admin.force_login(domain_admin)
    page = admin.get(reverse("panel:home")).content.decode()
    assert "The outbound mail of 1 account is held." in page
    assert "alice@example.test" in page and "Release and trust" in page

    response = admin.post(reverse("panel:release_sending", args=[alice.pk]))
    assert response.status_code == 302
    flush()
    assert sorted(delivered_to_sink(remote)) == sorted(f"victim{n}@example.net" for n in range(200))
    assert not SendingState.objects.get(account=alice).held
    assert list(AuditEntry.objects.filter(object_repr="alice@example.test").order_by("pk")
                .values_list("action", "actor_name")) == [("account.sending_held", "system"),
                                                          ("account.sending_released", "dora")]


def test_another_domains_admin_cannot_release(mail_host, alice, charlie, domain_admin):
    SendingState.objects.create(account=alice, held=True, reason="volume")
    outsider = get_user_model().objects.create_user("eve", email="", password=PASSWORD)
    DomainAdmin.objects.create(user=outsider, domain=charlie.domain)
    client = Client()
    client.force_login(outsider)
    assert client.post(reverse("panel:release_sending", args=[alice.pk])).status_code == 404
    assert "alice@example.test" not in client.get(reverse("panel:home")).content.decode()
    assert SendingState.objects.get(account=alice).held
