"""The domain list: counts, storage against quota, search by either label, one query per page."""
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mailcore.directory.models import Account
from mailcore.directory.services import create_account, create_alias, create_domain, set_catch_all
from tests.conftest import PASSWORD


def _rows(response):
    return {d.name: d for d in response.context["listing"].objects}


def test_the_list_counts_accounts_and_aliases_and_sums_storage(super_client, alice, bob, charlie):
    create_alias("sales@example.test", ["alice@example.test"])
    set_catch_all("example.test", ["bob@example.test"])
    Account.objects.filter(pk=alice.pk).update(used_bytes=300 * 1024**2)
    Account.objects.filter(pk=bob.pk).update(used_bytes=200 * 1024**2)
    rows = _rows(super_client.get("/panel/domains/"))
    test = rows["example.test"]
    assert (test.account_count, test.alias_count, test.used_bytes) == (2, 2, 500 * 1024**2)
    assert (rows["example.org"].account_count, rows["example.org"].alias_count) == (1, 0)


def test_storage_is_shown_humanised_with_a_usage_bar_against_the_total_quota(super_client, domain, alice):
    domain.total_quota = 1024**3
    domain.save()
    Account.objects.filter(pk=alice.pk).update(quota=1024**3, used_bytes=512 * 1024**2)
    html = super_client.get("/panel/domains/").content.decode()
    assert "512.0\xa0MB" in html and "1.0\xa0GB" in html  # filesizeformat keeps number and unit together
    assert '<span class="w-50"></span>' in html


def test_a_domain_without_total_quota_says_unlimited(super_client, domain):
    assert "Unlimited" in super_client.get("/panel/domains/").content.decode()


def _queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/panel/domains/").status_code == 200
    return len(queries)


def _add_domains(first, last):
    for number in range(first, last):
        create_domain(f"d{number}.test")
        create_account(f"user@d{number}.test", PASSWORD)
        create_alias(f"alias@d{number}.test", [f"user@d{number}.test"])


def test_the_list_takes_the_same_queries_for_many_domains(super_client, db):
    _add_domains(0, 2)
    super_client.get("/panel/domains/")  # the first visit also writes the session's bookkeeping
    few = _queries(super_client)
    _add_domains(2, 40)
    assert _queries(super_client) == few  # the figures come in the page's one query


def test_an_idn_domain_is_found_by_its_unicode_name_and_shown_so(super_client, domain):
    create_domain("ví-dụ.vn")
    response = super_client.get("/panel/domains/", {"q": "ví-dụ"})
    assert list(_rows(response)) == ["xn--v-d-rma6749a.vn"]
    assert "ví-dụ.vn" in response.content.decode()
    assert list(_rows(super_client.get("/panel/domains/", {"q": "xn--v-d"}))) == ["xn--v-d-rma6749a.vn"]


def test_the_list_sorts_by_account_count(super_client, alice, bob, charlie):
    response = super_client.get("/panel/domains/", {"sort": "-accounts"})
    assert list(_rows(response)) == ["example.test", "example.org"]
    response = super_client.get("/panel/domains/", {"sort": "accounts"})
    assert list(_rows(response)) == ["example.org", "example.test"]


def test_only_a_superadmin_sees_the_add_button(super_client, owner_client):
    assert b"/panel/domains/add/" in super_client.get("/panel/domains/").content
    assert b"/panel/domains/add/" not in owner_client.get("/panel/domains/").content
