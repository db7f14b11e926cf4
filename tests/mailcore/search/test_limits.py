"""Huge or odd messages are indexed as far as the limits allow and never fail the append."""
import itertools
import string

from mailcore.store.models import Message


def unique_words(count, length):
    """Return count distinct words of length letters: the worst case for an index's size."""
    letters = itertools.product(string.ascii_lowercase + string.digits, repeat=length)
    return ["".join(word) for word in itertools.islice(letters, count)]


def test_a_huge_body_and_recipient_list_of_distinct_words_is_indexed(alice, build, deliver, found):
    # Past the per-field cap, and near PostgreSQL's 1 MB per tsvector before it.
    body = " ".join(unique_words(46_656, 3) * 2)
    to = ", ".join(f"{word}@x" for word in unique_words(46_656, 3))
    deliver(alice, build("huge", body, to=to))
    assert Message.objects.get().subject == "huge"
    assert found(alice, "", body="a0a") == {"huge"}
    assert found(alice, "", recipients="aab") == {"huge"}


def test_a_very_long_word_does_not_fail_the_append(alice, build, deliver, found):
    deliver(alice, build("long word", "x" * 100_000 + " after"))
    assert found(alice, "after") == {"long word"}


def test_a_phrase_never_spans_two_fields(alice, build, deliver, found):
    deliver(alice, build("alpha beta", "gamma delta", sender="Zeta Eta <eta@example.test>", to="theta@example.test"))
    assert found(alice, '"alpha beta"') == {"alpha beta"}
    assert found(alice, '"beta gamma"') == set()
    assert found(alice, '"test alpha"') == set()
    assert found(alice, '"test theta"') == set()
