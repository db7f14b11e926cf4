"""The \\Recent mark (store/recent.py): each new message is claimed by exactly one session,
also when sessions claim at the same time (threads here, each with its own database
connection; CI runs this file on PostgreSQL too)."""
import threading

import pytest
from django.db import connection

from mailcore.store.append import append
from mailcore.store.folders import folder_id
from mailcore.store.messages import copy_messages
from mailcore.store.models import Folder
from mailcore.store.recent import claim_recent, unclaimed_count

pytestmark = pytest.mark.django_db(transaction=True)


def test_rfc3501_2_3_2_a_claim_is_taken_once_and_examine_only_looks(alice, message):
    inbox = folder_id(alice.pk, "INBOX")
    for subject in ("one", "two"):
        append(alice.pk, "INBOX", message(subject))
    assert claim_recent(inbox, claim=False) == (1, 3)
    assert unclaimed_count(Folder.objects.get(pk=inbox)) == 2
    assert claim_recent(inbox) == (1, 3)
    assert claim_recent(inbox) == (3, 3)  # nothing new: an empty range
    assert unclaimed_count(Folder.objects.get(pk=inbox)) == 0
    copy_messages(alice.pk, "INBOX", [1], "INBOX")  # a copy is new mail too
    assert claim_recent(inbox) == (3, 4)
    assert claim_recent(10**9) == (0, 0)  # a folder deleted meanwhile: nothing


def test_rfc3501_2_3_2_sessions_claiming_at_once_never_share_a_message(alice, message):
    inbox = folder_id(alice.pk, "INBOX")
    claims: list[tuple[int, int]] = []
    done = threading.Event()

    def session():
        try:
            while not done.is_set():
                first, upto = claim_recent(inbox)
                if first < upto:
                    claims.append((first, upto))
        finally:
            connection.close()

    sessions = [threading.Thread(target=session) for _ in range(4)]
    for thread in sessions:
        thread.start()
    for number in range(30):
        append(alice.pk, "INBOX", message(f"m{number}"))
    done.set()
    for thread in sessions:
        thread.join()
    first, upto = claim_recent(inbox)
    if first < upto:
        claims.append((first, upto))
    claimed = sorted(uid for first, upto in claims for uid in range(first, upto))
    assert claimed == list(range(1, 31))  # every message once, none twice
