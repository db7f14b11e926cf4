"""Training is idempotent per message, retraining the other way unlearns first, counts
never go below zero, and concurrent trainings lose nothing."""
import threading

import pytest
from django.db import close_old_connections, connection

from mailcore.filters import bayes
from mailcore.filters.bayes_tokens import token_ids
from mailcore.filters.models import BayesCorpus, BayesToken, BayesTrained

from .bayes_corpus import corpus

pytestmark = pytest.mark.django_db


def token_counts(owner, raw):
    rows = BayesToken.objects.filter(owner=owner, token__in=token_ids(raw))
    return {token: (spam, ham) for token, spam, ham in rows.values_list("token", "spam", "ham")}


def test_training_counts_the_message_in_the_account_and_the_global_classifier(alice):
    raw = corpus(1, spam=True)[0]
    assert bayes.train(raw, alice.pk, spam=True)
    assert bayes.counts(alice.pk) == bayes.counts(bayes.GLOBAL) == (1, 0)
    for owner in (alice.pk, bayes.GLOBAL):
        counts = token_counts(owner, raw)
        assert len(counts) == len(token_ids(raw))
        assert set(counts.values()) == {(1, 0)}
    assert BayesTrained.objects.get(account=alice).spam is True


def test_training_the_same_message_twice_changes_nothing(alice):
    raw = corpus(1, spam=True)[0]
    bayes.train(raw, alice.pk, spam=True)
    before = token_counts(alice.pk, raw)
    assert not bayes.train(raw, alice.pk, spam=True)
    assert token_counts(alice.pk, raw) == before
    assert bayes.counts(alice.pk) == (1, 0)


def test_retraining_as_ham_unlearns_the_spam_first(alice):
    raw = corpus(1, spam=False)[0]
    bayes.train(raw, alice.pk, spam=True)
    assert bayes.train(raw, alice.pk, spam=False)
    assert bayes.counts(alice.pk) == bayes.counts(bayes.GLOBAL) == (0, 1)
    assert set(token_counts(alice.pk, raw).values()) == {(0, 1)}
    assert BayesTrained.objects.get(account=alice).spam is False


def test_two_accounts_teaching_one_message_count_twice_globally(alice, bob):
    raw = corpus(1, spam=True)[0]
    bayes.train(raw, alice.pk, spam=True)
    bayes.train(raw, bob.pk, spam=True)
    assert bayes.counts(bayes.GLOBAL) == (2, 0)
    assert bayes.counts(alice.pk) == bayes.counts(bob.pk) == (1, 0)


def test_a_batch_trains_in_a_bounded_number_of_queries(alice, django_assert_max_num_queries):
    spams = [(raw, None) for raw in corpus(50, spam=True)]
    with django_assert_max_num_queries(40):  # statements per distinct change, not per token or message
        assert bayes.train_many(alice.pk, spams, spam=True) == 50
    assert bayes.counts(alice.pk) == (50, 0)


def test_the_bench_can_train_an_account_without_touching_the_global_classifier(alice):
    bayes.train_many(alice.pk, [(raw, None) for raw in corpus(3, spam=True)], spam=True, into_global=False)
    assert bayes.counts(alice.pk) == (3, 0)
    assert bayes.counts(bayes.GLOBAL) == (0, 0)
    assert not BayesToken.objects.filter(owner=bayes.GLOBAL).exists()


def test_deleting_an_account_forgets_its_classifier_but_not_the_global_one(alice):
    bayes.train(corpus(1, spam=True)[0], alice.pk, spam=True)
    owner = alice.pk
    alice.user.delete()
    assert not BayesToken.objects.filter(owner=owner).exists()
    assert not BayesCorpus.objects.filter(owner=owner).exists()
    assert bayes.counts(bayes.GLOBAL) == (1, 0)


@pytest.mark.django_db(transaction=True)
def test_concurrent_trainings_lose_no_count(alice, bob):
    spams, hams = corpus(12, spam=True), corpus(12, spam=False)
    errors = []

    def teach(account, messages, spam):
        try:
            bayes.train_many(account.pk, [(raw, None) for raw in messages], spam)
        except Exception as error:
            errors.append(error)
        finally:
            close_old_connections()

    jobs = [(alice, spams[:6], True), (bob, spams[6:], True), (alice, hams[:6], False), (bob, hams[6:], False)]
    threads = [threading.Thread(target=teach, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert bayes.counts(bayes.GLOBAL) == (12, 12)
    assert bayes.counts(alice.pk) == bayes.counts(bob.pk) == (6, 6)
    # Every token's global count is the number of trained messages that hold it.
    expected = {}
    for raw, kind in [(raw, 0) for raw in spams] + [(raw, 1) for raw in hams]:
        for token in token_ids(raw):
            expected.setdefault(token, [0, 0])[kind] += 1
    stored = {t: [s, h] for t, s, h in BayesToken.objects.filter(owner=0).values_list("token", "spam", "ham")}
    assert stored == expected
    assert connection.vendor in ("sqlite", "postgresql")
