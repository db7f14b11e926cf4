"""The storage page: each account's use against its quota, and each domain's total."""
from django.urls import reverse

from mailcore.directory.models import Account

URL = reverse("panel:storage")


def test_a_domain_admin_sees_only_their_accounts_and_domains(owner_client, alice, bob, charlie):
    Account.objects.filter(pk=alice.pk).update(used_bytes=600, quota=1000)
    Account.objects.filter(pk=bob.pk).update(used_bytes=100)
    Account.objects.filter(pk=charlie.pk).update(used_bytes=5000)
    response = owner_client.get(URL)
    assert [a.localpart for a in response.context["listing"].objects] == ["alice", "bob"]  # most used first
    assert [(d["name"], d["used"], d["accounts_count"]) for d in response.context["totals"]] == [
        ("example.test", 700, 2)]
    assert 'class="w-60"' in response.content.decode()  # alice's bar, no inline style


def test_it_sorts_by_usage_of_the_quota(super_client, alice, bob):
    Account.objects.filter(pk=alice.pk).update(used_bytes=900, quota=10_000)
    Account.objects.filter(pk=bob.pk).update(used_bytes=90, quota=100)
    listing = super_client.get(URL, {"sort": "-usage"}).context["listing"]
    assert [a.localpart for a in listing.objects][:2] == ["bob", "alice"]


def test_it_searches_accounts(super_client, alice, bob):
    assert [a.localpart for a in super_client.get(URL, {"q": "bob"}).context["listing"].objects] == ["bob"]
