"""Delivery's half: each account's copy to Junk by its own domain's junk score, before the user's rules."""
from mailcore.delivery.models import MailRule
from mailcore.filters.junk import junk_accounts
from mailcore.filters.models import FilterPolicy
from mailcore.filters.policy import lowest_junk_score
from mailcore.store.models import Message
from tests.mailcore.smtp.conftest import wait_for

from .conftest import send_raw, spammy_message


def test_accounts_are_chosen_by_their_domains_junk_score(alice, bob, charlie, django_assert_num_queries):
    FilterPolicy.objects.create(domain=charlie.domain, junk_score=9)
    lowest_junk_score()  # the policies are cached for a few seconds: load them first
    with django_assert_num_queries(0):
        assert junk_accounts(5.9, [alice.pk, charlie.pk]) == {}  # below every junk score: no query
    with django_assert_num_queries(1):  # the accounts' domains; thresholds are cached
        assert junk_accounts(7.0, [alice.pk, bob.pk, charlie.pk]) == {alice.pk: "example.test",
                                                                      bob.pk: "example.test"}
    assert junk_accounts(9.0, [charlie.pk]) == {charlie.pk: "example.org"}
    assert junk_accounts(5.9, [alice.pk]) == {}


def test_unscanned_mail_is_never_junked_by_score(alice, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert junk_accounts(None, [alice.pk]) == {}


def test_the_spam_verdict_wins_over_the_users_rules(alice, mail_host):
    MailRule.objects.create(account=alice, name="Support", conditions=[
        {"field": "subject", "op": "contains", "value": "account"}],
        actions=[{"action": "move", "folder": "Archive"}])
    assert send_raw(mail_host.ports["smtp"], spammy_message())[1][0] == 250
    message = wait_for(lambda: Message.objects.filter(account=alice).select_related("folder").first(),
                       what="delivery")
    assert message.folder.name == "Junk"
