"""Scoring: neutral until trained, the account's own classifier once it has learnt enough,
the global one before that, and a trained classifier tells this corpus's ham from spam."""
import pytest

from mailcore.filters import bayes

from .bayes_corpus import corpus

pytestmark = pytest.mark.django_db


def teach(account, spams, hams, into_global=True):
    bayes.train_many(account.pk, [(raw, None) for raw in spams], True, into_global=into_global)
    bayes.train_many(account.pk, [(raw, None) for raw in hams], False, into_global=into_global)


def test_an_untrained_filter_is_neutral(alice):
    assert bayes.spam_probability(corpus(1, spam=True)[0], [alice.pk]) is None


def test_it_stays_neutral_until_both_kinds_reach_the_minimum(alice):
    spams, hams = corpus(bayes.MIN_TRAINED, spam=True), corpus(bayes.MIN_TRAINED - 1, spam=False)
    teach(alice, spams, hams)
    assert bayes.spam_probability(spams[0], [alice.pk]) is None
    bayes.train(corpus(bayes.MIN_TRAINED, spam=False, seed=99)[-1], alice.pk, spam=False)
    assert bayes.spam_probability(spams[0], [alice.pk]) is not None


def test_a_trained_classifier_separates_unseen_ham_and_spam(alice):
    spams, hams = corpus(60, spam=True), corpus(60, spam=False)
    teach(alice, spams[:40], hams[:40])
    spam_scores = [bayes.spam_probability(raw, [alice.pk]) for raw in spams[40:]]
    ham_scores = [bayes.spam_probability(raw, [alice.pk]) for raw in hams[40:]]
    assert sum(score > 0.9 for score in spam_scores) >= 18
    assert max(ham_scores) < 0.5


def test_an_account_without_enough_training_is_scored_by_the_global_classifier(alice, bob):
    spams, hams = corpus(25, spam=True), corpus(25, spam=False)
    teach(bob, spams[:21], hams[:21])  # bob's lessons reach the global classifier too
    assert bayes.spam_probability(spams[24], [alice.pk]) > 0.9
    assert bayes.spam_probability(hams[24], [alice.pk]) < 0.1


def test_an_account_with_enough_training_follows_its_own_lessons(alice, bob):
    spams, hams = corpus(25, spam=True), corpus(25, spam=False)
    teach(bob, spams[:21], hams[:21])
    # Alice calls ham what everyone else calls spam, on her own classifier only.
    teach(alice, hams[:21], spams[:21], into_global=False)
    assert bayes.spam_probability(spams[24], [alice.pk]) < 0.1
    assert bayes.spam_probability(spams[24], [bob.pk]) > 0.9
    mixed = bayes.spam_probability(spams[24], [alice.pk, bob.pk])  # one message, two recipients: the mean
    assert 0.3 < mixed < 0.7


def test_chi_square_combining_is_neutral_without_clues_and_sure_with_them():
    assert bayes.combine([]) == 0.5
    assert bayes.combine([0.52, 0.48]) == 0.5  # too close to 0.5 to count
    assert bayes.combine([0.99] * 20) > 0.99
    assert bayes.combine([0.01] * 20) < 0.01
    assert 0.4 < bayes.combine([0.99] * 10 + [0.01] * 10) < 0.6
