"""The Bayes classifier's probability as points: neutral untrained, high for taught spam, low for ham."""
import pytest

from mailcore.filters import bayes
from mailcore.filters.spam_rules import RULES, bayes_findings, score

pytestmark = pytest.mark.django_db

SPAM_WORDS = "viagra casino jackpot winner claim prize bitcoin doubling wire transfer urgent"
HAM_WORDS = "meeting agenda minutes project budget review schedule lunch team report"


def message(words: str, n: int) -> bytes:
    return (f"From: someone{n}@example.net\r\nTo: alice@example.test\r\nSubject: note {n}\r\n"
            f"Date: Sun, 29 Nov 2026 10:00:00 +0000\r\nMessage-ID: <{n}.{len(words)}@example.net>\r\n\r\n"
            f"{words} number{n}\r\n").encode()


@pytest.fixture
def taught(alice):
    bayes.train_many(alice.pk, [(message(SPAM_WORDS, n), None) for n in range(bayes.MIN_TRAINED)], spam=True)
    bayes.train_many(alice.pk, [(message(HAM_WORDS, n), None) for n in range(bayes.MIN_TRAINED)], spam=False)
    return alice


def test_an_untrained_classifier_adds_nothing(alice):
    assert bayes_findings(message(SPAM_WORDS, 99), [alice.pk]) == []


def test_taught_spam_scores_the_top_bayes_rule(taught):
    [finding] = bayes_findings(message(SPAM_WORDS, 99), [taught.pk])
    assert finding.rule == "BAYES_999" and finding.score == RULES["BAYES_999"][0]


def test_taught_ham_takes_points_off(taught):
    [finding] = bayes_findings(message(HAM_WORDS, 99), [taught.pk])
    assert finding.rule == "BAYES_01" and finding.score < 0


def test_the_built_in_score_includes_bayes(taught):
    assert score(message(SPAM_WORDS, 99), account_ids=[taught.pk]).score == RULES["BAYES_999"][0]
