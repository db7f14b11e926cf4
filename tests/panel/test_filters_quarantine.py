"""The panel's quarantine: list (filtered, sorted, searched, paged), detail, release, delete."""

from mailcore.audit.models import AuditEntry
from mailcore.delivery.models import QueueRecipient
from mailcore.filters.models import QuarantinedMessage
from mailcore.filters.quarantine import hold

LIST = "/panel/filters/quarantine/"


def _hold(recipients, subject="Invoice", kind="policy", reason='blocked attachment "a.exe"', score=None):
    raw = f"From: Mallory <m@example.net>\r\nTo: you\r\nSubject: {subject}\r\n\r\nbody\r\n".encode()
    return hold(raw, mail_from="m@example.net", recipients=recipients, kind=kind, reason=reason, score=score,
                client_ip="192.0.2.9", helo="evil.example.net")


def test_the_list_shows_held_mail_with_its_reason(super_client, alice):
    _hold([alice.address])
    page = super_client.get(LIST).content.decode()
    assert "Invoice" in page and "a.exe" in page and alice.address in page


def test_a_domain_admin_sees_only_their_domains_recipients(owner_client, alice, charlie):
    _hold([alice.address, charlie.address])
    page = owner_client.get(LIST).content.decode()
    assert alice.address in page and charlie.address not in page


def test_the_list_filters_by_kind_and_status(super_client, alice):
    _hold([alice.address], subject="Pills", kind="spam", score=25.0)
    released = _hold([alice.address], subject="Report")
    super_client.post(f"{LIST}{released.pk}/release/")
    assert "Pills" in super_client.get(LIST, {"kind": "spam"}).content.decode()
    assert "Pills" not in super_client.get(LIST, {"kind": "virus"}).content.decode()
    assert "Report" not in super_client.get(LIST).content.decode()
    assert "Report" in super_client.get(LIST, {"status": "released"}).content.decode()


def test_the_list_is_searchable_by_recipient_and_subject(super_client, alice, bob):
    _hold([alice.address], subject="For Alice")
    _hold([bob.address], subject="For Bob")
    page = super_client.get(LIST, {"q": "bob@"}).content.decode()
    assert "For Bob" in page and "For Alice" not in page
    assert "For Alice" in super_client.get(LIST, {"q": "alice"}).content.decode()


def test_the_list_sorts_and_pages(super_client, alice):
    for n in range(55):
        _hold([alice.address], subject=f"S{n:02d}", kind="spam", score=float(n))
    first = super_client.get(LIST, {"sort": "-score"})
    assert first.context["listing"].objects[0].subject == "S54"
    assert first.context["listing"].page.paginator.count == 55
    second = super_client.get(LIST, {"sort": "subject", "page": 2})
    assert [m.subject for m in second.context["listing"].objects] == [f"S{n}" for n in range(50, 55)]


def test_the_list_costs_the_same_queries_for_many_messages(super_client, alice, bob):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _hold([alice.address], subject="S")
    super_client.get(LIST)  # the session's first-request writes are out of the way
    with CaptureQueriesContext(connection) as one:
        super_client.get(LIST)
    for n in range(20):
        _hold([alice.address, bob.address], subject=f"S{n}")
    with CaptureQueriesContext(connection) as many:
        super_client.get(LIST)
    assert len(many) == len(one)


def test_the_detail_shows_reason_headers_and_envelope(super_client, alice):
    message = _hold([alice.address], kind="spam", reason="score 25.0: DNSBL, FORGED_FROM", score=25.0)
    page = super_client.get(f"{LIST}{message.pk}/").content.decode()
    assert "DNSBL, FORGED_FROM" in page and "Mallory &lt;m@example.net&gt;" in page
    assert "192.0.2.9" in page and "evil.example.net" in page and "25.0" in page


def test_release_queues_the_mail_and_is_audited(super_client, alice):
    message = _hold([alice.address])
    response = super_client.post(f"{LIST}{message.pk}/release/")
    assert response.status_code == 302
    assert list(QueueRecipient.objects.values_list("address", flat=True)) == [alice.address]
    entry = AuditEntry.objects.get(action="quarantine.release")
    assert entry.domain == "example.test" and entry.after == {"recipients": [alice.address]}


def test_releasing_twice_says_so_and_queues_once(super_client, alice):
    message = _hold([alice.address])
    super_client.post(f"{LIST}{message.pk}/release/")
    response = super_client.post(f"{LIST}{message.pk}/release/", follow=True)
    assert "already" in response.content.decode()
    assert QueueRecipient.objects.count() == 1 and AuditEntry.objects.filter(action="quarantine.release").count() == 1


def test_a_domain_admin_releases_their_domains_recipients_only(owner_client, alice, charlie):
    message = _hold([alice.address, charlie.address])
    owner_client.post(f"{LIST}{message.pk}/release/")
    assert list(QueueRecipient.objects.values_list("address", flat=True)) == [alice.address]
    message.refresh_from_db()
    assert message.status == "held" and list(message.recipients.values_list("address", flat=True)) == [
        charlie.address]


def test_delete_removes_it_and_is_audited(super_client, alice):
    message = _hold([alice.address])
    assert super_client.post(f"{LIST}{message.pk}/delete/").status_code == 302
    assert not QuarantinedMessage.objects.exists() and not QueueRecipient.objects.exists()
    entry = AuditEntry.objects.get(action="quarantine.delete")
    assert entry.before["reason"] == 'blocked attachment "a.exe"' and entry.actor_name == "root"
