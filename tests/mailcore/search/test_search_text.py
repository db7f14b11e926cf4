"""The folded text IMAP SEARCH reads (store/search/text.py): one row per body, made at
append, refilled by the migration for bodies stored before it, collected with the body."""
import importlib

from django.apps import apps

from mailcore.store.append import append
from mailcore.store.gc import collect_blobs
from mailcore.store.messages import copy_messages, expunge, store_flags
from mailcore.store.models import Blob, SearchText
from mailcore.store.search.criteria import search_uids
from mailcore.store.search.text import base_subject, first_mailbox, fold

RAW = ("From: =?utf-8?q?Nguy=E1=BB=85n_An?= <an@example.net>\r\nTo: team: b@example.org;\r\n"
       "Subject: Re: [list] =?utf-8?q?H=C3=B3a_=C4=91=C6=A1n?=\r\nDate: Sun, 25 Mar 2007 00:30:00 +0300\r\n"
       "X-Extra: folded\r\n  value\r\n\r\nSố tiền:   500.000đ\r\n").encode()


def test_a_body_is_folded_once_at_append(alice):
    append(alice.pk, "INBOX", RAW)
    text = SearchText.objects.get()
    assert text.subject == "re: [list] hoa don"
    assert "nguyen an <an@example.net>" in text.from_text
    assert "\nx-extra: folded value\n" in text.headers
    assert text.body == "so tien: 500.000d "
    assert str(text.sent_date) == "2007-03-25"  # the Date field's own day (22 March 21:30 UTC)
    # RFC 5256 §3 address keys in their compared form (the base subject is on the message).
    assert (text.sort_from, text.sort_to) == ("AN", "TEAM")


def _expunge_all(account, folder):
    store_flags(account.pk, folder, [1], ["\\Deleted"])
    expunge(account.pk, folder, recoverable=False)  # not kept for recovery: the body goes at once


def test_copies_share_the_bodys_text_and_it_goes_with_the_body(alice):
    append(alice.pk, "INBOX", RAW)
    copy_messages(alice.pk, "INBOX", [1], "Archive")
    append(alice.pk, "Sent", RAW)  # the same body again: its blob and text are shared
    assert SearchText.objects.count() == 1
    _expunge_all(alice, "INBOX")
    assert collect_blobs() == 0  # the copies still hold it
    for folder in ("Archive", "Sent"):
        _expunge_all(alice, folder)
    assert collect_blobs() == 1  # a body's text is no holder of it
    assert not SearchText.objects.exists() and not Blob.objects.exists()


def test_the_migration_fills_the_text_of_bodies_stored_before_it(alice):
    append(alice.pk, "INBOX", RAW)
    folder_id = alice.folders.get(name="INBOX").pk
    SearchText.objects.all().delete()
    assert search_uids(folder_id, alice.pk, ("text", "body", "tiền")) == []
    migration = importlib.import_module("mailcore.store.migrations.0009_search_text")
    migration.fill_search_text(apps, None)
    assert [uid for uid, _modseq in search_uids(folder_id, alice.pk, ("text", "body", "tiền"))] == [1]
    assert [uid for uid, _modseq in search_uids(folder_id, alice.pk, ("header", "x-extra", "d val"))] == [1]


def test_fold_keeps_every_substring():
    assert fold("Hóa  ĐƠN\r\n\tx") == "hoa don x"
    assert fold("Straße") in fold("Die STRASSE und die Straße")


def test_rfc5256_3_first_mailbox():
    assert first_mailbox(["A <x.y@example.org>, b@example.org"]) == "x.y"
    assert first_mailbox(["undisclosed-recipients:;"]) == "undisclosed-recipients"
    assert first_mailbox([""]) == "" and first_mailbox([]) == ""


def test_rfc5256_2_1_base_subject_of_decoded_text():
    assert base_subject("Re: Fwd:  [x]  hello  (fwd)") == "hello"


def test_a_group_name_in_an_unknown_charset_is_stored_without_surrogates(alice):
    """Found by the webmail's hostile-header property test: the email package leaves
    undecodable octets as lone surrogates, and the database refuses them, so the message
    could not be stored at all."""
    from mailcore.store.append import append
    from mailcore.store.models import SearchText

    raw = (b"From: a@example.net\r\nCc: =?x-no-such-charset?b?woA=?=: ;, 0: ;, 0\r\n"
           b"Subject: odd\r\n\r\nbody\r\n")
    append(alice.pk, "INBOX", raw)
    text = SearchText.objects.get()
    for value in (text.sort_cc, text.cc_text, text.headers):
        value.encode("utf-8")  # raises on a lone surrogate
