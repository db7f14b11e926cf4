"""/api/v1/queue/, /delivery-log/, /statistics/ and /audit-log/: the panel's rows, scoped
as the panel scopes them; queue changes through queue_admin, audited via the API."""
from datetime import timedelta

from django.utils import timezone

from mailcore.audit.log import record
from mailcore.audit.models import AuditEntry
from mailcore.delivery.models import QueueRecipient
from tests.api.conftest import assert_problem
from tests.panel.activity_rows import queued


def test_the_queue_lists_waiting_recipients_of_the_admins_domains(owner_api, alice, bob, charlie):
    waiting = queued("alice@example.test")
    done = queued("bob@example.test", message_id="b@example.net")
    queued("charlie@example.org", message_id="c@example.net")
    QueueRecipient.objects.filter(pk=done.pk).update(status="delivered")
    rows = owner_api.get("/api/v1/queue/").json()["results"]
    assert [(r["id"], r["address"], r["status"]) for r in rows] == [(waiting.pk, "alice@example.test", "queued")]


def test_retry_makes_the_rows_due_and_is_audited(owner_api, alice):
    row = queued("alice@example.test")
    QueueRecipient.objects.filter(pk=row.pk).update(status="deferred", next_attempt=timezone.now() + timedelta(hours=2))
    response = owner_api.post("/api/v1/queue/retry/", {"ids": [row.pk]})
    assert response.status_code == 200 and response.json() == {"count": 1}
    row.refresh_from_db()
    assert row.next_attempt <= timezone.now()
    entry = AuditEntry.objects.get(action="queue.retry")
    assert entry.via == "api" and entry.domain == "example.test" and entry.actor_name == "owner"


def test_remove_takes_rows_out_without_a_bounce(root_api, alice):
    row = queued("alice@example.test")
    assert root_api.post("/api/v1/queue/remove/", {"ids": [row.pk]}).json() == {"count": 1}
    row.refresh_from_db()
    assert row.status == "failed" and AuditEntry.objects.get(action="queue.delete").via == "api"


def test_another_domains_queue_row_is_not_there(owner_api, alice, charlie):
    theirs = queued("charlie@example.org")
    assert_problem(owner_api.post("/api/v1/queue/remove/", {"ids": [theirs.pk]}), 404)
    theirs.refresh_from_db()
    assert theirs.status == "queued"


def test_the_delivery_log_filters_by_status_and_refuses_a_bad_filter(owner_api, alice, bob, charlie):
    queued("alice@example.test")
    done = queued("bob@example.test", message_id="b@example.net")
    queued("charlie@example.org", message_id="c@example.net")
    QueueRecipient.objects.filter(pk=done.pk).update(status="delivered", last_result="250 2.0.0 stored")
    rows = owner_api.get("/api/v1/delivery-log/").json()["results"]
    assert sorted(r["address"] for r in rows) == ["alice@example.test", "bob@example.test"]
    rows = owner_api.get("/api/v1/delivery-log/", status="delivered").json()["results"]
    assert [(r["address"], r["last_result"]) for r in rows] == [("bob@example.test", "250 2.0.0 stored")]
    body = assert_problem(owner_api.get("/api/v1/delivery-log/", domain="example.org"), 400)
    assert body["errors"][0]["pointer"] == "#/domain"
    assert_problem(owner_api.get("/api/v1/delivery-log/", date_from="yesterday"), 400)


def test_statistics_cover_30_days_of_the_admins_domains(owner_api, domain, other_domain):
    body = owner_api.get("/api/v1/statistics/").json()
    assert len(body["days"]) == 30 and body["days"][-1] == timezone.now().date().isoformat()
    assert all(len(values) == 30 for values in body["series"].values()) and body["series"]
    assert owner_api.get("/api/v1/statistics/", domain="example.test").status_code == 200
    assert_problem(owner_api.get("/api/v1/statistics/", domain="example.org"), 404)


def test_the_audit_log_shows_the_admins_domains_and_how_each_change_came(owner_api, root_api, superadmin, domain,
                                                                         other_domain):
    record(superadmin, "domain.update", "domain", "example.org", domain="example.org", after={"active": False})
    root_api.patch("/api/v1/domains/example.test/", {"dmarc_reject": False})
    rows = owner_api.get("/api/v1/audit-log/").json()["results"]
    assert [(r["action"], r["domain"], r["via"], r["actor"]) for r in rows] == [
        ("domain.update", "example.test", "api", "root")]
    assert len(root_api.get("/api/v1/audit-log/").json()["results"]) == 2
    assert len(root_api.get("/api/v1/audit-log/", actor="nobody").json()["results"]) == 0
