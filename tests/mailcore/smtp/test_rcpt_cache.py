"""RCPT answers kept for a few seconds (smtp/policy.py): what is kept, and what clears it."""
from mailcore.directory.services import create_account, set_quota
from mailcore.smtp import policy
from tests.conftest import PASSWORD


def test_an_accepted_recipient_is_answered_from_memory(alice):
    assert policy.cached_recipient("alice@example.test", may_relay=False) is None
    verdict = policy.check_recipient("alice@example.test", may_relay=False)
    assert verdict.reply is None
    assert policy.cached_recipient("alice@example.test", may_relay=False) == verdict
    assert policy.cached_recipient("alice@example.test", may_relay=True) is None  # keyed by relay right too


def test_no_such_mailbox_is_never_kept(domain):
    assert policy.check_recipient("new@example.test", may_relay=False).reply.startswith("550 5.1.1")
    assert policy.cached_recipient("new@example.test", may_relay=False) is None


def test_answers_expire_and_directory_changes_clear_them(alice, settings):
    policy.check_recipient("alice@example.test", may_relay=False)
    set_quota("alice@example.test", 1)  # a directory change in this process
    assert policy.cached_recipient("alice@example.test", may_relay=False) is None
    settings.HOPTHU_DIRECTORY_CACHE_SECONDS = 0
    policy.check_recipient("alice@example.test", may_relay=False)
    assert policy.cached_recipient("alice@example.test", may_relay=False) is None


def test_the_table_is_bounded(domain, monkeypatch):
    monkeypatch.setattr(policy, "MAX_CACHED_RECIPIENTS", 3)
    create_account("bob@example.test", PASSWORD)
    for address in ("x@elsewhere.example", "y@elsewhere.example", "z@elsewhere.example", "bob@example.test"):
        policy.check_recipient(address, may_relay=False)
    assert len(policy._recipient_cache) <= 3
    assert policy.cached_recipient("bob@example.test", may_relay=False).reply is None
