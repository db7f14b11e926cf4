"""The directory's lists in reading order, in the database (SQLite and PostgreSQL alike):
accounts and aliases by domain as read then local part with numbers by value (u2 before
u10), display names and domains by Vietnamese collation; keys kept by save() and filled
in by migration 0007 for rows that existed before it."""
import random

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from mailcore.collation import sort_key
from mailcore.directory import services
from mailcore.directory.models import Account, Alias, Domain
from tests.conftest import PASSWORD

NAMES = ["Yến", "Đào", "Dũng", "Ánh", "Anh", "Bình", "ảnh", "Ước", "Uy", "Ơn", "Ôn", "On"]


def shuffled(items, seed=3):
    return random.Random(seed).sample(items, len(items))


def test_accounts_sort_by_domain_as_read_then_local_part_by_value(db):
    for name in shuffled(["công-ty.vn", "example.test", "b.test"]):
        services.create_domain(name)
    for localpart in shuffled(["u10", "u2", "u1", "admin"]):
        services.create_account(f"{localpart}@công-ty.vn", PASSWORD)
    services.create_account("z@b.test", PASSWORD)
    services.create_account("a@example.test", PASSWORD)
    ordered = [account.display_address for account in Account.objects.order_by("address_key", "id")]
    assert ordered == ["z@b.test", "admin@công-ty.vn", "u1@công-ty.vn", "u2@công-ty.vn", "u10@công-ty.vn",
                       "a@example.test"]
    assert [d.unicode_name for d in Domain.objects.all()] == ["b.test", "công-ty.vn", "example.test"]


def test_display_names_sort_by_vietnamese_collation(domain):
    for number, name in enumerate(shuffled(NAMES)):
        services.create_account(f"p{number}@example.test", PASSWORD, display_name=name)
    ordered = list(Account.objects.order_by("name_key", "id").values_list("display_name", flat=True))
    assert ordered == ["Anh", "ảnh", "Ánh", "Bình", "Dũng", "Đào", "On", "Ôn", "Ơn", "Uy", "Ước", "Yến"]
    assert ordered == sorted(NAMES, key=sort_key)


def test_a_changed_display_name_moves_in_the_order(domain):
    services.create_account("a@example.test", PASSWORD, display_name="Anh")
    services.create_account("b@example.test", PASSWORD, display_name="Bình")
    services.set_display_name("a@example.test", "Yến")
    assert list(Account.objects.order_by("name_key").values_list("display_name", flat=True)) == ["Bình", "Yến"]


def test_aliases_sort_like_accounts(domain, alice):
    for localpart in shuffled(["sales10", "sales2", "", "info"]):
        services.create_alias(f"{localpart}@example.test", ["alice@example.test"])
    assert [str(alias) for alias in Alias.objects.all()] == [
        "@example.test", "info@example.test", "sales2@example.test", "sales10@example.test"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ICU is PostgreSQL's; the SQLite run has the rest")
def test_the_order_is_icus_vietnamese_with_numeric_ordering(db):
    words = [*NAMES, "u10", "u2", "u1", "Hóa đơn 12", "Hóa đơn 3", "má", "mạ", "mà", "ma", "mã", "mả", "Ab", "ab",
             "Nguyễn Văn An", "Nguyễn Văn Ân", "Trần Đức", "Trần Dũng", "ê", "e", "ư", "u"]
    with connection.cursor() as cursor:
        cursor.execute("CREATE COLLATION IF NOT EXISTS hopthu_test_vi (provider = icu, locale = 'vi-u-kn-true')")
        cursor.execute("SELECT word FROM unnest(%s::text[]) AS word ORDER BY word COLLATE hopthu_test_vi", [words])
        icu = [row[0] for row in cursor.fetchall()]
    assert sorted(words, key=sort_key) == icu


BEFORE = [("directory", "0006_disabled_generation")]
AFTER = [("directory", "0007_reading_order_keys")]


def test_migration_0007_fills_the_keys_of_existing_rows(transactional_db):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Domain_, User = apps.get_model("directory", "Domain"), apps.get_model("directory", "User")
    Account_, Alias_ = apps.get_model("directory", "Account"), apps.get_model("directory", "Alias")
    domain = Domain_.objects.create(name="xn--cng-ty-ixa.vn")
    Domain_.objects.create(name="example.test")
    for localpart, name in (("u10", "Yến"), ("u2", "Đào"), ("u1", "Anh")):
        user = User.objects.create(username=f"{localpart}@xn--cng-ty-ixa.vn")
        Account_.objects.create(user=user, localpart=localpart, domain=domain, display_name=name)
    Alias_.objects.create(domain=domain, localpart="info")

    executor = MigrationExecutor(connection)  # reloaded: the graph as it is now
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    Account_, Domain_ = apps.get_model("directory", "Account"), apps.get_model("directory", "Domain")
    assert list(Account_.objects.order_by("address_key").values_list("localpart", flat=True)) == ["u1", "u2", "u10"]
    assert list(Account_.objects.order_by("name_key").values_list("display_name", flat=True)) == [
        "Anh", "Đào", "Yến"]
    assert list(Domain_.objects.order_by("sort_key").values_list("name", flat=True)) == [
        "xn--cng-ty-ixa.vn", "example.test"]  # công-ty before example, as read
    assert bytes(apps.get_model("directory", "Alias").objects.get().address_key)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())  # back to the latest for the next tests
    if connection.vendor == "sqlite":  # see test_migration_display_name_key.py
        from mailcore.store.search.sqlite import TABLE

        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")
