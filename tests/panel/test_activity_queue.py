"""The queue page: waiting mail only; retry now and remove, each audited, neither bouncing."""
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from mailcore.audit.models import AuditEntry
from mailcore.delivery.models import QueuedMessage, QueueRecipient
from tests.panel.activity_rows import queued

URL = reverse("panel:queue")


def test_it_lists_only_waiting_recipients(owner_client, alice, bob):
    waiting = queued("alice@example.test")
    done = queued("bob@example.test")
    QueueRecipient.objects.filter(pk=waiting.pk).update(status="deferred", attempts=3,
                                                        last_result="452 4.2.2 mailbox full")
    QueueRecipient.objects.filter(pk=done.pk).update(status="delivered")
    response = owner_client.get(URL)
    assert [row.pk for row in response.context["listing"].objects] == [waiting.pk]
    assert "452 4.2.2 mailbox full" in response.content.decode()


def test_a_domain_admin_does_not_see_another_domains_queue(owner_client, alice, charlie):
    queued("charlie@example.org")
    assert list(owner_client.get(URL).context["listing"].objects) == []


def test_retry_now_makes_the_recipient_due_and_is_audited(owner_client, alice):
    row = queued("alice@example.test")
    later = timezone.now() + timedelta(hours=2)
    QueueRecipient.objects.filter(pk=row.pk).update(status="deferred", next_attempt=later)
    response = owner_client.post(reverse("panel:queue_retry"), {"id": row.pk})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.next_attempt <= timezone.now() and row.status == "deferred"
    entry = AuditEntry.objects.get(action="queue.retry")
    assert entry.domain == "example.test" and entry.actor_name == "owner"
    assert "alice@example.test" in entry.object_repr and entry.before["status"] == "deferred"


def test_remove_takes_the_recipient_out_without_a_bounce_and_is_audited(owner_client, alice):
    row = queued("alice@example.test")
    owner_client.post(reverse("panel:queue_delete"), {"id": row.pk})
    row.refresh_from_db()
    assert row.status == "failed" and "removed from the queue" in row.last_result
    assert not QueuedMessage.objects.filter(source="bounce").exists()
    entry = AuditEntry.objects.get(action="queue.delete")
    assert (entry.domain, entry.before["status"], entry.after["status"]) == ("example.test", "queued", "failed")


def test_outgoing_mail_is_audited_under_the_senders_domain(super_client, alice):
    row = queued("far@example.net", sender="alice@example.test", source="submission", account=alice)
    super_client.post(reverse("panel:queue_delete"), {"id": row.pk})
    assert AuditEntry.objects.get(action="queue.delete").domain == "example.test"


def test_delivered_mail_is_left_alone(super_client, alice):
    row = queued("alice@example.test")
    QueueRecipient.objects.filter(pk=row.pk).update(status="delivered")
    super_client.post(reverse("panel:queue_delete"), {"id": row.pk})
    row.refresh_from_db()
    assert row.status == "delivered"
    assert not AuditEntry.objects.exists()


def test_one_foreign_id_refuses_the_whole_request(owner_client, alice, charlie):
    mine, theirs = queued("alice@example.test"), queued("charlie@example.org")
    response = owner_client.post(reverse("panel:queue_delete"), {"id": [mine.pk, theirs.pk]})
    assert response.status_code == 404
    assert set(QueueRecipient.objects.values_list("status", flat=True)) == {"queued"}


def test_a_bad_id_is_a_404(super_client):
    assert super_client.post(reverse("panel:queue_retry"), {"id": "x"}).status_code == 404


def test_mail_to_a_domain_alias_is_audited_under_its_target(owner_client, alice):
    from mailcore.directory.services import create_domain_alias

    create_domain_alias("example.vn", "example.test")
    row = queued("alice@example.vn")
    assert owner_client.post(reverse("panel:queue_retry"), {"id": row.pk}).status_code == 302
    assert AuditEntry.objects.get(action="queue.retry").domain == "example.test"
