"""Issue 16 (low): a disabled account's or domain's scheduled messages are held, not sent
and not cancelled. They wait while it is disabled, whatever beat's sweep or their own
task runs, and leave once at the first sweep after it is enabled again."""
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from mailcore.delivery.models import QueuedMessage, ScheduledMessage
from mailcore.directory.services import create_alias
from mailcore.smtp import scheduled

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice.user)
    return client


def send_later(client, when, **fields):
    """The webmail's compose form, "Send later"."""
    data = {"from_address": "alice@example.test", "to": "carol@example.net", "cc": "", "bcc": "",
            "subject": "Quarterly report", "body": "Attached.\n", "action": "send_later",
            "send_at": timezone.localtime(when, dt.UTC).strftime("%Y-%m-%dT%H:%M")}
    data.update(fields)
    response = client.post("/mail/compose/", data)
    assert response.status_code == 302, response.content[:500]
    return ScheduledMessage.objects.latest("pk")


def sweep(when):
    """What beat's sweep and the message's own task run (scheduled.send_scheduled)."""
    return scheduled.send_due(when)


@pytest.fixture
def when():
    return (timezone.now() + dt.timedelta(hours=1)).replace(second=0, microsecond=0)


def mail_cli(*args):
    call_command("mail", *args, stdout=io.StringIO())


def test_a_disabled_accounts_scheduled_message_is_held_then_sent_once_enabled(alice_client, alice, when):
    row = send_later(alice_client, when)
    mail_cli("account", "disable", "alice@example.test")
    assert sweep(when + dt.timedelta(days=1)) == 0
    row.refresh_from_db()
    assert row.status == ScheduledMessage.Status.WAITING and not QueuedMessage.objects.exists()
    mail_cli("account", "enable", "alice@example.test")
    assert sweep(when + dt.timedelta(days=1)) == 1
    row.refresh_from_db()
    assert row.status == ScheduledMessage.Status.SENT and QueuedMessage.objects.count() == 1
    assert sweep(when + dt.timedelta(days=2)) == 0  # once


def test_a_disabled_domains_scheduled_messages_are_held(alice_client, alice, when):
    send_later(alice_client, when)
    mail_cli("domain", "set", "example.test", "--active", "off")
    scheduled.send_scheduled()  # the Celery task, as beat or the message's own ETA runs it
    assert sweep(when) == 0
    assert ScheduledMessage.objects.get().status == ScheduledMessage.Status.WAITING
    assert not QueuedMessage.objects.exists()


def test_a_held_message_does_not_hold_back_other_accounts(alice_client, alice, bob, when):
    for minute in range(3):
        send_later(alice_client, when - dt.timedelta(minutes=minute))
    mail_cli("account", "disable", "alice@example.test")
    bobs = scheduled.schedule(bob, b"From: bob@example.test\r\nTo: carol@example.net\r\n\r\nhi\r\n",
                              ["carol@example.net"], when)
    assert scheduled.send_due(when, batch=1) == 1  # bob's is not behind alice's held ones
    bobs.refresh_from_db()
    assert bobs.status == ScheduledMessage.Status.SENT


def test_a_message_from_an_alias_at_a_domain_disabled_since_fails(alice_client, alice, charlie, when):
    create_alias("info@example.org", ["alice@example.test"])
    row = send_later(alice_client, when, from_address="info@example.org")
    mail_cli("domain", "set", "example.org", "--active", "off")
    assert sweep(when) == 1
    row.refresh_from_db()
    assert row.status == ScheduledMessage.Status.FAILED and "info@example.org" in row.error
    assert not QueuedMessage.objects.exists()
