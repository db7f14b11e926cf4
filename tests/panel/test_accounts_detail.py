"""The account page: edit display name, quota and active; links and usage shown."""
from django.urls import reverse

from mailcore.audit.models import AuditEntry
from mailcore.directory import services
from mailcore.directory.models import Account


def url(account):
    return reverse("panel:account_detail", args=[account.pk])


def test_the_page_shows_usage_aliases_and_links_to_rules_and_client_setup(owner_client, alice, bob):
    services.create_alias("sales@example.test", ["alice@example.test", "bob@example.test"])
    alice.quota, alice.used_bytes = 1000, 250
    alice.save()
    content = owner_client.get(url(alice)).content.decode()
    assert "sales@example.test" in content
    assert reverse("panel:rule_list", kwargs={"account_pk": alice.pk}) in content
    assert reverse("panel:client_setup", kwargs={"account_pk": alice.pk}) in content
    assert 'class="w-25"' in content and "(25%)" in content


def test_editing_saves_the_fields_and_audits_only_what_changed(owner_client, alice):
    initial_quota = alice.quota
    response = owner_client.post(url(alice), {"display_name": "Alice Nguyễn", "quota": "1 GB", "active": "on"})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.display_name, alice.quota, alice.active) == ("Alice Nguyễn", 1024**3, True)
    entry = AuditEntry.objects.get(action="account.update")
    assert entry.before == {"display_name": "", "quota": initial_quota} and entry.after == {
        "display_name": "Alice Nguyễn", "quota": 1024**3}


def test_disabling_an_account(owner_client, alice):
    owner_client.post(url(alice), {"display_name": "", "quota": "0"})
    assert Account.objects.get(pk=alice.pk).active is False


def test_a_quota_below_what_is_used_changes_nothing(owner_client, alice):
    alice.used_bytes = 5 * 1024**2
    alice.save()
    response = owner_client.post(url(alice), {"display_name": "New name", "quota": "1M", "active": "on"})
    assert response.status_code == 400
    assert "below what the account already uses" in response.context["edit_form"].errors["quota"][0]
    assert Account.objects.get(pk=alice.pk).display_name == ""  # one transaction: nothing saved
    assert not AuditEntry.objects.exists()


def test_a_quota_over_the_domains_total_is_an_error_on_the_quota(owner_client, alice):
    domain = alice.domain
    alice.quota = 1024**3
    alice.save()
    domain.total_quota = 2 * 1024**3
    domain.save()
    response = owner_client.post(url(alice), {"display_name": "", "quota": "3G", "active": "on"})
    assert "total quota" in response.context["edit_form"].errors["quota"][0]


def test_saving_the_form_unchanged_keeps_an_odd_quota_exactly(owner_client, alice):
    alice.quota = 1234567
    alice.save()
    shown = owner_client.get(url(alice)).context["edit_form"]["quota"].value()
    shown = owner_client.get(url(alice)).context["edit_form"].fields["quota"].prepare_value(shown)
    owner_client.post(url(alice), {"display_name": "", "quota": shown, "active": "on"})
    assert Account.objects.get(pk=alice.pk).quota == 1234567
