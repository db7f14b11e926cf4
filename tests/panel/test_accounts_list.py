"""The account list: one query for the rows however many, sortable, searchable, filtered by domain."""
from django.urls import reverse

from mailcore.directory import services
from tests.conftest import PASSWORD

URL = reverse("panel:account_list")


def make_accounts(count, domain="example.test", start=0):
    for n in range(start, start + count):
        services.create_account(f"user{n:02d}@{domain}", PASSWORD, quota=1024**3, display_name=f"Người {n}")


def test_the_list_costs_the_same_queries_for_3_or_30_accounts(super_client, domain, django_assert_max_num_queries):
    make_accounts(3)
    super_client.get(URL)  # the first request of a session records it (allauth usersessions)
    # Eight for the session middleware (session, user, allauth usersessions, preferences),
    # then ours: the count, the domains for the filter, and the page: its ids along the
    # sort's index, then those rows (panel/listing.py).
    with django_assert_max_num_queries(12) as few:
        super_client.get(URL)
    make_accounts(30, start=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = super_client.get(URL)
    assert response.content.decode().count("/panel/accounts/") >= 33


def test_the_list_shows_quota_usage_and_never_for_no_login(super_client, alice):
    alice.used_bytes = 512 * 1024**2
    alice.quota = 1024**3
    alice.save()
    content = super_client.get(URL).content.decode()
    assert 'class="w-50"' in content
    assert "never" in content


def test_the_list_searches_display_names(super_client, domain):
    make_accounts(3)
    content = super_client.get(URL, {"q": "Người 1"}).content.decode()
    assert "user01@example.test" in content and "user02@example.test" not in content


def test_display_names_are_found_without_accents_or_case(super_client, domain):
    services.create_account("dao@example.test", PASSWORD, display_name="Nguyễn Thị Đào")
    services.create_account("lan@example.test", PASSWORD, display_name="Trần Lan")
    for query in ("nguyen thi dao", "NGUYỄN", "đào", "Thi   Dao", "nguyễn thị"):
        content = super_client.get(URL, {"q": query}).content.decode()
        assert "dao@example.test" in content and "lan@example.test" not in content, query
    services.set_display_name("dao@example.test", "Phạm Hồng")  # the key follows a rename
    content = super_client.get(URL, {"q": "pham hong"}).content.decode()
    assert "dao@example.test" in content
    assert "dao@example.test" not in super_client.get(URL, {"q": "nguyen"}).content.decode()


def test_the_list_sorts_by_quota_descending(super_client, domain):
    services.create_account("small@example.test", PASSWORD, quota=1024**2)
    services.create_account("big@example.test", PASSWORD, quota=1024**3)
    content = super_client.get(URL, {"sort": "-quota"}).content.decode()
    assert content.index("big@example.test") < content.index("small@example.test")


def test_the_list_filters_by_domain(super_client, alice, charlie):
    content = super_client.get(URL, {"domain": "example.org"}).content.decode()
    assert "charlie@example.org" in content and "alice@example.test" not in content
