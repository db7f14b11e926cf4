"""The directory's answers to the SMTP listeners (directory/lookup.py), which read the
directory only through these functions (tests/test_layering.py): the RCPT question in
two queries at most, the addresses an account may send as, and the change notice that
clears the listeners' cache of RCPT answers."""
from mailcore.directory.lookup import LocalRecipient, hosted_domain, local_recipient, on_change, sender_addresses
from mailcore.directory.services import (
    create_alias,
    create_domain_alias,
    remove_alias,
    set_catch_all,
    set_quota,
)


def test_an_account_is_known_and_full_only_at_its_quota(alice):
    domain = hosted_domain("example.test")
    assert local_recipient(domain, "alice") == LocalRecipient(known=True, full=False)
    set_quota("alice@example.test", 1)
    alice.refresh_from_db()
    alice.used_bytes = 1
    alice.save(update_fields=["used_bytes"])
    assert local_recipient(domain, "alice") == LocalRecipient(known=True, full=True)


def test_an_alias_or_the_catch_all_makes_an_address_known(alice):
    domain = hosted_domain("example.test")
    assert local_recipient(domain, "sales") == LocalRecipient(known=False)
    create_alias("sales@example.test", ["alice@example.test"])
    assert local_recipient(domain, "sales").known
    assert not local_recipient(domain, "anyone").known
    set_catch_all("example.test", ["alice@example.test"])
    assert local_recipient(domain, "anyone") == LocalRecipient(known=True)


def test_rcpt_asks_at_most_two_queries(alice, django_assert_max_num_queries):
    domain = hosted_domain("example.test")
    with django_assert_max_num_queries(1):
        local_recipient(domain, "alice")  # an account: one query
    with django_assert_max_num_queries(2):
        local_recipient(domain, "nobody")  # then the alias or the catch-all


def test_an_account_may_send_as_itself_and_the_aliases_that_reach_it(alice, bob):
    create_domain_alias("example.net", "example.test")
    create_alias("sales@example.test", ["alice@example.test"])
    create_alias("team@example.test", ["alice@example.net"])  # reaches alice at the domain alias
    create_alias("support@example.test", ["bob@example.test"])
    set_catch_all("example.test", ["alice@example.test"])  # a catch-all gives no address to send as
    assert sender_addresses(alice) == {"alice@example.test", "sales@example.test", "sales@example.net",
                                       "team@example.test", "team@example.net"}


def test_a_directory_change_calls_the_listeners(alice, monkeypatch):
    from mailcore.directory import lookup

    monkeypatch.setattr(lookup, "_change_listeners", [])  # this test's listener only
    calls = []

    def listener():
        calls.append(1)

    on_change(listener)
    on_change(listener)  # registered once
    create_alias("sales@example.test", ["alice@example.test"])  # an alias and its target
    assert calls
    calls.clear()
    set_quota("alice@example.test", 10)
    assert len(calls) == 1
    calls.clear()
    remove_alias("sales@example.test")
    assert calls
