"""A folder's UID list is shared by the sessions of a process per MODSEQ (store/snapshot.py),
and an IMAP update reads only the MODSEQ of a quiet folder (commands/updates.py)."""
from mailcore.imap.commands import updates
from mailcore.store.append import append
from mailcore.store.folders import get_folder
from mailcore.store.messages import expunge, store_flags
from mailcore.store.snapshot import folder_uids, highest_modseq, keywords_at

RAW = b"From: a@example.net\r\nSubject: x\r\n\r\nbody\r\n"


def test_every_change_gives_a_new_list_and_callers_get_their_own_copy(alice):
    inbox = get_folder(alice.pk, "INBOX")
    for _message in range(3):
        append(alice.pk, "INBOX", RAW)
    state = highest_modseq(inbox.pk)
    first = folder_uids(inbox.pk, state)
    assert list(first) == [1, 2, 3]
    first.append(99)  # a session's own view changes; the shared list does not
    assert list(folder_uids(inbox.pk, state)) == [1, 2, 3]
    store_flags(alice.pk, "INBOX", [2], ["\\Deleted"])
    expunge(alice.pk, "INBOX")
    assert highest_modseq(inbox.pk) > state  # each change takes a new MODSEQ
    assert list(folder_uids(inbox.pk, highest_modseq(inbox.pk))) == [1, 3]


def test_a_quiet_folder_needs_no_full_sync(alice):
    inbox = get_folder(alice.pk, "INBOX")
    append(alice.pk, "INBOX", RAW)
    state = highest_modseq(inbox.pk)
    assert updates._changes(inbox.pk, state, state) is None
    append(alice.pk, "INBOX", RAW)
    highest, uids, _changed, recent = updates._changes(inbox.pk, state, state)
    assert (highest, list(uids)) == (highest_modseq(inbox.pk), [1, 2])
    assert recent == (1, 3)  # nobody had selected INBOX: both messages are new to this session
    assert highest_modseq(10**9) is None


def test_keywords_are_shared_per_modseq_too(alice):
    inbox = get_folder(alice.pk, "INBOX")
    append(alice.pk, "INBOX", RAW, flags=["$Work"])
    state = highest_modseq(inbox.pk)
    assert keywords_at(inbox.pk, state) == ["$Work"]
    store_flags(alice.pk, "INBOX", [1], ["$Label1"])
    assert keywords_at(inbox.pk, state) == ["$Work"]  # as of that MODSEQ, from the cache
    assert keywords_at(inbox.pk, highest_modseq(inbox.pk)) == ["$Label1", "$Work"]
