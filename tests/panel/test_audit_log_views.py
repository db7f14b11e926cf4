"""The audit log page: who, what (before → after), when, from where; filtered and scoped."""
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from mailcore.audit.log import record
from mailcore.audit.models import AuditEntry

URL = reverse("panel:audit_log")


def entries(response) -> list[str]:
    return [entry.object_repr for entry in response.context["listing"].objects]


def test_it_shows_who_what_before_after_and_ip_as_a_sentence(super_client, superadmin):
    record(superadmin, "account.update", "account", "an@xn--cng-ty-ixa.vn", ip="192.0.2.7",
           domain="xn--cng-ty-ixa.vn", before={"quota": 1024**3}, after={"quota": 2 * 1024**3})
    page = super_client.get(URL).content.decode()
    assert "root changed the quota of an@công-ty.vn from 1\xa0GB to 2\xa0GB." in page
    assert "<td>công-ty.vn</td>" in page and "192.0.2.7" in page
    assert "account.update" not in page.split('<table class="list audit-log">')[1]


def test_a_change_made_in_the_panel_reads_as_a_sentence(super_client, alice):
    response = super_client.post(reverse("panel:account_detail", args=[alice.pk]),
                                 {"display_name": "", "quota": "3 GB", "active": "on"})
    assert response.status_code == 302
    page = super_client.get(URL).content.decode()
    assert "root changed the quota of alice@example.test from 2\xa0GB to 3\xa0GB." in page


def test_the_action_menu_shows_translated_labels(super_client, superadmin):
    record(superadmin, "account.update", "account", "alice@example.test", domain="example.test")
    assert '<option value="account.update">Account changed</option>' in super_client.get(URL).content.decode()


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
