"""The panel's lists sort the way people read: accounts and aliases by domain (as read)
then local part with numbers by value (u2 before u10), names by Vietnamese collation
(Ả with A, Đ after D), domains by their Unicode name; in both directions and across
pages, for a superadmin and for a domain admin."""
import random
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mailcore.directory import services
from mailcore.directory.admins import grant_domain
from tests.conftest import PASSWORD


def rows(client, url, **params) -> list[str]:
    html = client.get(url, params).content.decode()
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<tr[^>]*>\s*<td[^>]*>(.*?)</td>", body, re.S)]


@pytest.fixture
def numbered(domain):
    for number in random.Random(1).sample(range(1, 13), 12):
        services.create_account(f"u{number}@example.test", PASSWORD)


def test_accounts_are_listed_u2_before_u10(super_client, numbered):
    listed = rows(super_client, reverse("panel:account_list"))
    assert [cell.split("@")[0] for cell in listed] == [f"u{n}" for n in range(1, 13)]
    reverse_listed = rows(super_client, reverse("panel:account_list"), sort="-address")
    assert [cell.split("@")[0] for cell in reverse_listed] == [f"u{n}" for n in range(12, 0, -1)]


def test_names_sort_by_vietnamese_collation(super_client, domain):
    names = ["Yến", "Đào", "Dũng", "Ánh", "Bình", "Ảnh", "Uyên", "Ước"]
    for number, name in enumerate(names):
        services.create_account(f"p{number}@example.test", PASSWORD, display_name=name)
    html = super_client.get(reverse("panel:account_list"), {"sort": "display_name"}).content.decode()
    positions = [html.index(f">{name}<") for name in ["Ảnh", "Ánh", "Bình", "Dũng", "Đào", "Uyên", "Ước", "Yến"]]
    assert positions == sorted(positions)


def test_the_order_holds_across_pages(super_client, domain):
    for number in random.Random(2).sample(range(1, 61), 60):
        services.create_account(f"u{number}@example.test", PASSWORD)
    first = rows(super_client, reverse("panel:account_list"))
    second = rows(super_client, reverse("panel:account_list"), page=2)
    assert [cell.split("@")[0] for cell in first + second] == [f"u{n}" for n in range(1, 61)]


def test_a_domain_admin_sees_the_same_order(owner_client, numbered, other_domain):
    services.create_account("u3@example.org", PASSWORD)  # not theirs
    listed = rows(owner_client, reverse("panel:account_list"))
    assert [cell.split("@")[0] for cell in listed] == [f"u{n}" for n in range(1, 13)]


def test_aliases_are_listed_in_reading_order(super_client, alice):
    for localpart in ["sales10", "sales2", "info", "sales1"]:
        services.create_alias(f"{localpart}@example.test", ["alice@example.test"])
    listed = rows(super_client, reverse("panel:alias_list"))
    assert listed == ["info@example.test", "sales1@example.test", "sales2@example.test", "sales10@example.test"]


def test_domains_are_listed_by_the_name_people_read(super_client, db):
    for name in ["example.test", "công-ty.vn", "đồng-hồ.vn", "dịch-vụ.vn", "a10.test", "a2.test"]:
        services.create_domain(name)
    listed = rows(super_client, reverse("panel:domain_list"))
    assert listed == ["a2.test", "a10.test", "công-ty.vn", "dịch-vụ.vn", "đồng-hồ.vn", "example.test"]


def test_storage_lists_addresses_in_reading_order(super_client, numbered):
    listed = rows(super_client, reverse("panel:storage"), sort="address")
    assert [cell.split("@")[0].split()[0] for cell in listed] == [f"u{n}" for n in range(1, 13)]


def test_a_domain_admin_with_two_domains_sees_them_in_order(owner_client, domain_admin, domain):
    services.create_domain("công-ty.vn")
    grant_domain(domain_admin, "công-ty.vn")
    for address in ["u10@example.test", "u2@công-ty.vn", "u10@công-ty.vn", "u2@example.test"]:
        services.create_account(address, PASSWORD)
    assert rows(owner_client, reverse("panel:account_list")) == [
        "u2@công-ty.vn", "u10@công-ty.vn", "u2@example.test", "u10@example.test"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan")
@pytest.mark.parametrize(("url", "sort"), [("panel:account_list", "address"), ("panel:account_list", "display_name"),
                                           ("panel:alias_list", "address"), ("panel:domain_list", "name")])
def test_a_superadmins_page_walks_an_index_without_sorting(super_client, numbered, alice, url, sort):
    services.create_alias("info@example.test", ["alice@example.test"])
    with CaptureQueriesContext(connection) as queries:
        assert super_client.get(reverse(url), {"sort": sort, "page": 1}).status_code == 200
    (page_query,) = [query["sql"] for query in queries.captured_queries
                     if "ORDER BY" in query["sql"] and "LIMIT" in query["sql"] and "_key" in query["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + page_query)
        plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
    assert "TEMP B-TREE" not in plan, plan
