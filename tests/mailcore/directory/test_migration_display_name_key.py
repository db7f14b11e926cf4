"""Migration 0004 fills the search key of accounts that existed before it."""
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("directory", "0003_domain_max_aliases_domainadmin")]
AFTER = [("directory", "0004_account_display_name_key")]


def test_existing_accounts_get_their_folded_display_name(transactional_db):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    domain = apps.get_model("directory", "Domain").objects.create(name="example.test")
    User = apps.get_model("directory", "User")
    Account = apps.get_model("directory", "Account")
    for localpart, name in (("dao", "Nguyễn Thị Đào"), ("blank", "")):
        user = User.objects.create(username=f"{localpart}@example.test")
        Account.objects.create(user=user, localpart=localpart, domain=domain, display_name=name)

    executor = MigrationExecutor(connection)  # reloaded: the graph as it is now
    executor.migrate(AFTER)
    Account = executor.loader.project_state(AFTER).apps.get_model("directory", "Account")
    keys = dict(Account.objects.values_list("localpart", "display_name_key"))
    assert keys == {"dao": "nguyen thi dao", "blank": ""}
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())  # back to the latest for the next tests
    # Going back and forth rebuilt SQLite tables that later store migrations altered, which
    # restarts their row ids; the full-text index is no model, so the flush between tests
    # never empties it, and rows left by earlier tests would then clash with new messages.
    if connection.vendor == "sqlite":
        from mailcore.store.search.sqlite import TABLE

        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")
