"""The webmail's "report spam" and "not spam" teach the filter through the same store
move IMAP uses; only the signed-in account's classifier (and the global one) learns."""
import pytest

from mailcore.filters import bayes
from mailcore.filters.models import BayesTrained
from mailcore.store.append import append
from mailcore.store.models import Folder
from tests.webmail.conftest import alice_client  # noqa: F401 (signed in to the webmail)

from .bayes_corpus import corpus

pytestmark = pytest.mark.django_db


def act(client, folder, action, uids):
    return client.post(f"/mail/folder/{folder.pk}/act/", {"action": action, "uid": list(uids)})


def folder(account, special_use):
    return Folder.objects.get(account=account, special_use=special_use)


def test_report_spam_and_not_spam_train_the_classifier(alice, bob, alice_client,  # noqa: F811
                                                        django_capture_on_commit_callbacks):
    raw = corpus(1, spam=True)[0]
    added = append(alice.pk, "INBOX", raw)
    inbox = Folder.objects.get(account=alice, name="INBOX")
    with django_capture_on_commit_callbacks(execute=True):
        assert act(alice_client, inbox, "spam", [added.uid]).status_code == 302
    assert bayes.counts(alice.pk) == bayes.counts(bayes.GLOBAL) == (1, 0)
    assert bayes.counts(bob.pk) == (0, 0)

    junk = folder(alice, "\\Junk")
    in_junk = junk.messages.get()
    with django_capture_on_commit_callbacks(execute=True):
        act(alice_client, junk, "notspam", [in_junk.uid])
    assert bayes.counts(alice.pk) == (0, 1)
    assert BayesTrained.objects.get(account=alice).spam is False
    assert inbox.messages.count() == 1


def test_reporting_the_same_message_twice_teaches_it_once(alice, alice_client,  # noqa: F811
                                                          django_capture_on_commit_callbacks):
    raw = corpus(1, spam=True)[0]
    inbox = Folder.objects.get(account=alice, name="INBOX")
    first, second = append(alice.pk, "INBOX", raw), append(alice.pk, "INBOX", raw)  # one body, two copies
    with django_capture_on_commit_callbacks(execute=True):
        act(alice_client, inbox, "spam", [first.uid, second.uid])
    assert bayes.counts(alice.pk) == (1, 0)


def test_emptying_junk_teaches_nothing(alice, alice_client, django_capture_on_commit_callbacks):  # noqa: F811
    append(alice.pk, "Junk", corpus(1, spam=False)[0])
    with django_capture_on_commit_callbacks(execute=True):
        act(alice_client, folder(alice, "\\Junk"), "delete", [1])
    assert bayes.counts(alice.pk) == (0, 0)
