"""The learning loop over a real IMAP listener: UID MOVE into Junk teaches spam, out of
Junk teaches ham (unlearning the spam first), COPY counts too, and Junk -> Trash teaches
nothing. Training is done when the MOVE is answered: it runs in the store's thread."""
import pytest

from mailcore.filters import bayes
from mailcore.filters.models import BayesTrained
from mailcore.store.append import append
from tests.conftest import PASSWORD
from tests.mailcore.imap.conftest import imap, imap_host  # noqa: F401 (the IMAP listener fixtures)

from .bayes_corpus import corpus

N = bayes.MIN_TRAINED


def uids(client, folder):
    client.select(f'"{folder}"' if " " in folder else folder)
    return client.uid("SEARCH", "ALL")[1][0].decode().split()


@pytest.fixture
def mailbox(alice, imap):  # noqa: F811
    """alice's INBOX holds spam the filter missed, her Junk holds ham it misfiled."""
    spams, hams = corpus(N + 1, spam=True), corpus(N + 1, spam=False)
    for raw in spams[:N]:
        append(alice.pk, "INBOX", raw)
    for raw in hams[:N]:
        append(alice.pk, "Junk", raw)
    imap.login("alice@example.test", PASSWORD)
    return imap, spams[N], hams[N]


def test_moving_into_junk_and_out_of_it_teaches_the_filter(alice, mailbox):
    client, unseen_spam, unseen_ham = mailbox
    assert bayes.spam_probability(unseen_spam, [alice.pk]) is None  # untrained: neutral

    spam_uids = uids(client, "INBOX")
    assert client.uid("MOVE", ",".join(spam_uids), "Junk")[0] == "OK"
    ham_uids = uids(client, "Junk")[:N]
    assert client.uid("MOVE", ",".join(ham_uids), "INBOX")[0] == "OK"

    assert bayes.counts(alice.pk) == bayes.counts(bayes.GLOBAL) == (N, N)
    assert bayes.spam_probability(unseen_spam, [alice.pk]) > 0.9
    assert bayes.spam_probability(unseen_ham, [alice.pk]) < 0.1


def test_moving_a_message_back_out_of_junk_unlearns_it_as_spam(alice, mailbox):
    client, _spam, _ham = mailbox
    first = uids(client, "INBOX")[0]
    client.uid("MOVE", first, "Junk")
    assert bayes.counts(alice.pk) == (1, 0)

    moved = uids(client, "Junk")[-1]  # the highest UID: the one just moved in
    client.uid("MOVE", moved, "Archive")
    assert bayes.counts(alice.pk) == (0, 1)
    assert BayesTrained.objects.get(account=alice).spam is False
    client.uid("MOVE", uids(client, "Archive")[0], "Junk")
    assert bayes.counts(alice.pk) == (1, 0)


def test_copy_into_junk_teaches_spam(alice, mailbox):
    client, _spam, _ham = mailbox
    assert client.uid("COPY", ",".join(uids(client, "INBOX")[:3]), "Junk")[0] == "OK"
    assert bayes.counts(alice.pk) == (3, 0)


def test_deleting_from_junk_into_trash_and_ordinary_moves_teach_nothing(alice, mailbox):
    client, _spam, _ham = mailbox
    client.uid("MOVE", uids(client, "Junk")[0], "Trash")
    client.uid("MOVE", uids(client, "INBOX")[0], "Archive")
    assert bayes.counts(alice.pk) == (0, 0)
    assert not BayesTrained.objects.exists()
