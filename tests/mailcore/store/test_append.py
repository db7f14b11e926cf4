"""Appending: UIDs, MODSEQ, summary, line endings, refusals."""
from datetime import UTC, datetime

import pytest

from mailcore.store import blobs
from mailcore.store.append import append
from mailcore.store.errors import FolderNotFound, InvalidFlag, MessageTooLarge
from mailcore.store.models import Folder, Message


def test_it_assigns_increasing_uids_and_modseqs(alice, message):
    first = append(alice.pk, "INBOX", message("one"))
    second = append(alice.pk, "INBOX", message("two"))
    assert (first.uid, second.uid) == (1, 2)
    assert second.modseq > first.modseq
    inbox = Folder.objects.get(account=alice, name="INBOX")
    assert inbox.uidnext == 3
    assert inbox.highestmodseq == second.modseq
    assert first.uidvalidity == inbox.uidvalidity


def test_uids_are_per_folder(alice, message):
    append(alice.pk, "INBOX", message("one"))
    assert append(alice.pk, "Sent", message("two")).uid == 1


def test_it_stores_the_summary_once(alice, message):
    raw = message("Hóa đơn", "Xin chào", extra_headers="In-Reply-To: <a@b>\r\nReferences: <z@b> <a@b>\r\n")
    result = append(alice.pk, "INBOX", raw, flags=["\\Seen", "$Work"],
                    internal_date=datetime(2026, 1, 2, tzinfo=UTC))
    stored = Message.objects.get(pk=result.message_id)
    assert stored.subject == "Hóa đơn"
    assert stored.from_address == "bob@example.test"
    assert stored.in_reply_to == "<a@b>"
    assert stored.references == "<z@b> <a@b>"
    assert stored.preview == "Xin chào"
    assert stored.flags == ["\\Seen", "$Work"]
    assert stored.internal_date == datetime(2026, 1, 2, tzinfo=UTC)
    assert stored.size == len(raw)
    assert blobs.read(stored.blob.digest) == raw


def test_it_stores_bare_lf_as_crlf(alice):
    result = append(alice.pk, "INBOX", b"Subject: x\n\nline one\nline two\r\n")
    stored = Message.objects.get(pk=result.message_id)
    assert blobs.read(stored.blob.digest) == b"Subject: x\r\n\r\nline one\r\nline two\r\n"
    assert stored.size == len(b"Subject: x\r\n\r\nline one\r\nline two\r\n")


def test_the_inbox_name_is_case_insensitive(alice, message):
    assert append(alice.pk, "inbox", message()).uid == 1


def test_it_refuses_an_unknown_folder(alice, message):
    with pytest.raises(FolderNotFound):
        append(alice.pk, "Nope", message())


@pytest.mark.parametrize("flag", ["\\Recent", "\\Bogus", "bad flag", "a(b", "", "x" * 101])
def test_it_refuses_invalid_flags_and_writes_nothing(alice, message, flag, blob_dir):
    with pytest.raises(InvalidFlag):
        append(alice.pk, "INBOX", message(), flags=[flag])
    assert not Message.objects.exists()
    assert not list(blob_dir.rglob("*.tmp"))


def test_it_refuses_a_message_over_the_size_limit(alice, settings):
    settings.HOPTHU_MAX_MESSAGE_SIZE = 100
    with pytest.raises(MessageTooLarge):
        append(alice.pk, "INBOX", b"Subject: big\r\n\r\n" + b"x" * 200)
    assert not Message.objects.exists()


def test_system_flags_are_case_insensitive_and_keywords_deduplicated(alice, message):
    result = append(alice.pk, "INBOX", message(), flags=["\\SEEN", "$Work", "$work", "\\flagged"])
    stored = Message.objects.get(pk=result.message_id)
    assert stored.flags == ["\\Seen", "\\Flagged", "$Work"]
