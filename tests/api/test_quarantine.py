"""/api/v1/quarantine/: held mail listed, released and deleted within the admin's domains
(mailcore.filters.quarantine), audited per domain as the panel does."""
from mailcore.audit.models import AuditEntry
from mailcore.delivery.models import QueueRecipient
from mailcore.filters.models import QuarantinedMessage
from mailcore.filters.quarantine import hold
from tests.api.conftest import assert_problem


def _hold(recipients, subject="Invoice"):
    raw = f"From: Mallory <m@example.net>\r\nTo: you\r\nSubject: {subject}\r\n\r\nbody\r\n".encode()
    return hold(raw, mail_from="m@example.net", recipients=recipients, kind="policy",
                reason='blocked attachment "a.exe"', client_ip="192.0.2.9")


def test_a_domain_admin_lists_held_mail_for_their_recipients_only(owner_api, alice, charlie):
    _hold([alice.address, charlie.address])
    _hold([charlie.address], subject="Not yours")
    [row] = owner_api.get("/api/v1/quarantine/").json()["results"]
    assert row["subject"] == "Invoice" and row["recipients"] == [alice.address] and row["status"] == "held"


def test_release_queues_the_owners_recipients_and_is_audited(owner_api, alice, charlie):
    message = _hold([alice.address, charlie.address])
    response = owner_api.post(f"/api/v1/quarantine/{message.pk}/release/")
    assert response.status_code == 200, response.content
    assert list(QueueRecipient.objects.values_list("address", flat=True)) == [alice.address]
    entry = AuditEntry.objects.get(action="quarantine.release")
    assert entry.via == "api" and entry.after == {"recipients": [alice.address]}


def test_releasing_twice_is_a_conflict(root_api, alice):
    message = _hold([alice.address])
    assert root_api.post(f"/api/v1/quarantine/{message.pk}/release/").status_code == 200
    assert_problem(root_api.post(f"/api/v1/quarantine/{message.pk}/release/"), 409)
    assert QueueRecipient.objects.count() == 1


def test_delete_removes_it(root_api, alice):
    message = _hold([alice.address])
    assert root_api.delete(f"/api/v1/quarantine/{message.pk}/").status_code == 204
    assert not QuarantinedMessage.objects.exists()
    assert AuditEntry.objects.get(action="quarantine.delete").via == "api"


def test_another_domains_held_mail_is_not_there(owner_api, charlie):
    message = _hold([charlie.address])
    assert_problem(owner_api.get(f"/api/v1/quarantine/{message.pk}/"), 404)
    assert_problem(owner_api.post(f"/api/v1/quarantine/{message.pk}/release/"), 404)
    assert_problem(owner_api.delete(f"/api/v1/quarantine/{message.pk}/"), 404)
    assert QuarantinedMessage.objects.get().status == "held"
