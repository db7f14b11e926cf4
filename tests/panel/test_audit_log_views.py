"""The audit log page: who, what (before → after), when, from where; filtered and scoped."""
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from mailcore.audit.log import record
from mailcore.audit.models import AuditEntry

URL = reverse("panel:audit_log")


def entries(response) -> list[str]:
    return [entry.object_repr for entry in response.context["listing"].objects]


def test_it_shows_who_what_before_after_and_ip(super_client, superadmin):
    record(superadmin, "account.quota", "account", "alice@example.test", ip="192.0.2.7", domain="example.test",
           before={"quota": 100}, after={"quota": 200})
    page = super_client.get(URL).content.decode()
    for text in ("root", "account.quota", "alice@example.test", "192.0.2.7", "example.test"):
        assert text in page
    assert '<span class="before">100</span> → <span class="after">200</span>' in page


def test_a_domain_admin_sees_only_their_domains_entries(owner_client, superadmin):
    record(superadmin, "account.create", "account", "alice@example.test", domain="example.test")
    record(superadmin, "account.create", "account", "charlie@example.org", domain="example.org")
    record(superadmin, "admin.grant", "admin", "owner", domain="")
    assert entries(owner_client.get(URL)) == ["alice@example.test"]
    assert entries(owner_client.get(URL, {"q": "charlie"})) == []


def test_a_superadmin_sees_every_entry(super_client, superadmin, domain, other_domain):
    record(superadmin, "account.create", "account", "alice@example.test", domain="example.test")
    record(superadmin, "admin.grant", "admin", "owner", domain="")
    assert sorted(entries(super_client.get(URL))) == ["alice@example.test", "owner"]


def test_it_filters_by_actor_action_domain_and_date(super_client, superadmin, domain_admin):
    record(superadmin, "domain.limits", "domain", "example.org", domain="example.org")
    record(domain_admin, "account.create", "account", "bob@example.test", domain="example.test")
    old = record(domain_admin, "account.delete", "account", "old@example.test", domain="example.test")
    AuditEntry.objects.filter(pk=old.pk).update(time=timezone.now() - timedelta(days=40))
    assert sorted(entries(super_client.get(URL, {"actor": "OWNER"}))) == ["bob@example.test", "old@example.test"]
    assert entries(super_client.get(URL, {"action": "domain.limits"})) == ["example.org"]
    assert sorted(entries(super_client.get(URL, {"domain": "example.test"}))) == [
        "bob@example.test", "old@example.test"]
    since = str(timezone.localdate() - timedelta(days=7))
    assert "old@example.test" not in entries(super_client.get(URL, {"date_from": since}))


def test_an_unknown_action_is_a_form_error(super_client):
    response = super_client.get(URL, {"action": "nope"})
    assert "action" in response.context["form"].errors
