"""The disabled-accounts snapshot (directory/disabled.py): sessions ask memory, and the
database is read once per HOPTHU_DIRECTORY_CACHE_SECONDS, fully only when a change moved
the counter."""
import pytest

from mailcore.directory import disabled
from mailcore.directory.services import create_account, set_account_active, set_display_name, update_domain
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)  # on_commit runs: the changes are committed


def test_a_refresh_reads_one_row_while_nothing_changed(alice, django_assert_num_queries):
    disabled.refresh()
    with django_assert_num_queries(1):
        disabled.refresh()
    assert not disabled.is_disabled(alice.pk, alice.domain_id)


def test_a_change_here_makes_the_snapshot_stale_at_once_and_is_read_then(alice, settings,
                                                                         django_assert_num_queries):
    settings.HOPTHU_DIRECTORY_CACHE_SECONDS = 3600
    disabled.refresh()
    assert not disabled.is_stale()
    set_account_active("alice@example.test", False)
    assert disabled.is_stale()
    with django_assert_num_queries(3):  # the counter moved: the disabled accounts and domains
        disabled.refresh()
    assert disabled.is_disabled(alice.pk, alice.domain_id) and not disabled.is_stale()


def test_a_disabled_domain_disables_each_of_its_accounts(alice, charlie):
    update_domain("example.test", active=False)
    disabled.refresh()
    assert disabled.is_disabled(alice.pk, alice.domain_id)
    assert not disabled.is_disabled(charlie.pk, charlie.domain_id)
    update_domain("example.test", active=True)
    disabled.refresh()
    assert not disabled.is_disabled(alice.pk, alice.domain_id)


def test_changes_that_keep_the_state_do_not_move_the_counter(alice, settings):
    settings.HOPTHU_DIRECTORY_CACHE_SECONDS = 3600
    disabled.refresh()
    set_account_active("alice@example.test", True)  # the panel saves every field of the form
    set_display_name("alice@example.test", "Alice")
    update_domain("example.test", max_accounts=5)
    create_account("dan@example.test", PASSWORD, active=False)  # no session can exist yet
    assert not disabled.is_stale()


def test_another_process_is_seen_after_the_cache_time(alice, settings):
    from django.db.models import F

    from mailcore.directory.models import Account, DisabledGeneration

    settings.HOPTHU_DIRECTORY_CACHE_SECONDS = 3600
    DisabledGeneration.objects.create(pk=disabled.ROW, value=41)
    disabled.refresh()
    # What another process's set_account_active leaves behind: no local mark.
    Account.objects.filter(pk=alice.pk).update(active=False)
    DisabledGeneration.objects.update(value=F("value") + 1)
    assert not disabled.is_stale()
    settings.HOPTHU_DIRECTORY_CACHE_SECONDS = 0
    assert disabled.is_stale()
    disabled.refresh()
    assert disabled.is_disabled(alice.pk, alice.domain_id)


def test_a_session_is_not_ended_on_an_old_disabled_answer(alice, settings):
    """Enabled again in another process and logged in at once: the snapshot may still say
    disabled; a "disabled" answer is read again before it ends a session."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from django.db.models import F

    from mailcore.directory.models import Account, DisabledGeneration
    from mailcore.service.disabled import account_disabled

    settings.HOPTHU_DIRECTORY_CACHE_SECONDS = 3600
    set_account_active("alice@example.test", False)
    disabled.refresh()
    Account.objects.filter(pk=alice.pk).update(active=True)  # another process enables her
    DisabledGeneration.objects.update(value=F("value") + 1)

    class Host:
        async def run_blocking(self, func):
            return await asyncio.get_running_loop().run_in_executor(pool, func)

    with ThreadPoolExecutor(1) as pool:
        assert asyncio.run(account_disabled(Host(), alice)) is False
