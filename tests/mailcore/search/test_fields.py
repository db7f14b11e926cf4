"""SearchQuery fields, phrases and terms; account and folder scoping; index upkeep; hostile input."""
import pytest
from django.db import connection

from mailcore.store.messages import copy_messages, expunge, move_messages, store_flags
from mailcore.store.models import Message
from mailcore.store.search import SearchQuery, filter_messages, postgres, split_terms, sqlite


def indexed_ids() -> set[int]:
    """Return the message ids that have an index entry, on either engine."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT message_id FROM {postgres.TABLE}")
        else:
            cursor.execute(f"SELECT rowid FROM {sqlite.TABLE}")
        return {row[0] for row in cursor.fetchall()}


@pytest.fixture
def report(alice, build, deliver):
    raw = build("Quarterly report", "The quick brown fox jumps over the lazy dog. Ngân sách quý ba.",
                sender='"Nguyễn Bob" <bob@example.test>', to="Alice Trần <alice@example.test>",
                headers=b"Cc: Dana <dana@partner.example>\r\n")
    return deliver(alice, raw)


def test_a_sender_term_matches_only_the_sender(alice, report, found):
    assert found(alice, sender="bob") == {"Quarterly report"}
    assert found(alice, sender="nguyen") == {"Quarterly report"}
    assert found(alice, sender="bob@example.test") == {"Quarterly report"}
    assert found(alice, sender="alice") == set()
    assert found(alice, sender="quarterly") == set()


def test_a_recipients_term_matches_to_and_cc(alice, report, found):
    assert found(alice, recipients="alice tran") == {"Quarterly report"}
    assert found(alice, recipients="dana partner") == {"Quarterly report"}
    assert found(alice, recipients="bob") == set()


def test_subject_and_body_terms_match_only_their_field(alice, report, found):
    assert found(alice, subject="quarterly") == {"Quarterly report"}
    assert found(alice, subject="fox") == set()
    assert found(alice, body="fox") == {"Quarterly report"}
    assert found(alice, body="quarterly") == set()
    assert found(alice, body="ngan sach", subject="report", sender="bob") == {"Quarterly report"}
    assert found(alice, body="ngan sach", subject="report", sender="dana") == set()


def test_free_text_matches_any_field(alice, report, found):
    for text in ("bob", "dana", "quarterly", "lazy dog"):
        assert found(alice, text) == {"Quarterly report"}


def test_split_terms_keeps_quoted_phrases_together():
    assert split_terms('"quick brown" fox  "hóa đơn"') == ["quick brown", "fox", "hóa đơn"]
    assert split_terms('"unbalanced quote') == ['"unbalanced', "quote"]
    assert split_terms("") == []


def test_a_phrase_needs_its_words_in_order_and_adjacent(alice, report, found):
    assert found(alice, '"quick brown fox"') == {"Quarterly report"}
    assert found(alice, '"brown quick"') == set()
    assert found(alice, '"quick fox"') == set()
    assert found(alice, '"quick bro"') == {"Quarterly report"}  # the last word is a prefix
    assert found(alice, body='"lazy dog ngan"') == {"Quarterly report"}


def test_every_term_must_match(alice, report, found):
    assert found(alice, "brown quick") == {"Quarterly report"}
    assert found(alice, "quick zebra") == set()


def test_terms_are_prefixes(alice, report, found):
    assert found(alice, "quart rep") == {"Quarterly report"}
    assert found(alice, "uarterly") == set()


def test_a_query_without_words_finds_all_of_the_accounts_mail_only(alice, charlie, report, build, deliver):
    deliver(charlie, build("charlie mail"))
    query = SearchQuery(text=["", "  ", "!!"])
    assert query.is_empty()
    matched = filter_messages(Message.objects.all(), alice.pk, query)
    assert set(matched.values_list("subject", flat=True)) == {"Quarterly report"}


def test_attachment_filenames_are_searchable(alice, deliver, found):
    raw = (
        b"From: bob@example.test\r\nTo: alice@example.test\r\nSubject: attachments\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b1\r\n\r\n"
        b"--b1\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n"
        b"--b1\r\nContent-Type: application/pdf; name=\"Bao_cao_thang_11.pdf\"\r\n"
        b"Content-Disposition: attachment; filename=\"Bao_cao_thang_11.pdf\"\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n"
        b"--b1\r\nContent-Type: application/octet-stream\r\n"
        b"Content-Disposition: attachment; filename*=utf-8''H%C3%B3a%20%C4%91%C6%A1n%20zzq.xlsx\r\n\r\nxx\r\n"
        b"--b1\r\nContent-Type: application/octet-stream; name=\"=?utf-8?B?SOG7o3AgxJHhu5NuZy5kb2N4?=\"\r\n"
        b"\r\nxx\r\n"
        b"--b1--\r\n"
    )
    deliver(alice, raw)
    assert found(alice, "bao_cao_thang_11.pdf") == {"attachments"}
    assert found(alice, "thang 11 pdf") == {"attachments"}
    assert found(alice, '"hoa don zzq"') == {"attachments"}
    assert found(alice, "hợp đồng docx") == {"attachments"}  # RFC 2047 in a name parameter
    assert found(alice, "JVBERi0xLjQK") == set()  # attachment contents are not indexed
    assert Message.objects.get().has_attachments


def test_an_account_never_finds_another_accounts_mail(alice, bob, charlie, build, deliver, found):
    deliver(alice, build("alice invoice", "invoice shared words"))
    deliver(bob, build("bob invoice", "invoice shared words"))
    deliver(charlie, build("charlie invoice", "invoice shared words"))
    assert found(alice, "invoice") == {"alice invoice"}
    assert found(bob, "shared words") == {"bob invoice"}
    assert found(charlie, "invoice") == {"charlie invoice"}
    # Even handed someone else's messages, the filter keeps to the account it was given.
    assert found(alice, "invoice", queryset=Message.objects.filter(account=charlie)) == set()


def test_a_folder_queryset_scopes_the_search(alice, build, deliver, found):
    deliver(alice, build("in inbox", "budget"))
    deliver(alice, build("in archive", "budget"), folder="Archive")
    assert found(alice, "budget") == {"in inbox", "in archive"}
    archive = Message.objects.filter(folder__account=alice, folder__name="Archive")
    assert found(alice, "budget", queryset=archive) == {"in archive"}


def test_a_copy_is_found_in_its_new_folder(alice, build, deliver, found):
    deliver(alice, build("copied", "budget"))
    copy_messages(alice.pk, "INBOX", [1], "Archive")
    archive = Message.objects.filter(folder__name="Archive")
    assert found(alice, "budget", queryset=archive) == {"copied"}
    assert set(Message.objects.values_list("pk", flat=True)) == indexed_ids()


def test_a_moved_message_is_found_in_its_new_folder_only(alice, build, deliver, found):
    deliver(alice, build("moved", "budget"))
    move_messages(alice.pk, "INBOX", [1], "Archive")
    assert found(alice, "budget", queryset=Message.objects.filter(folder__name="Archive")) == {"moved"}
    assert found(alice, "budget", queryset=Message.objects.filter(folder__name="INBOX")) == set()
    assert set(Message.objects.values_list("pk", flat=True)) == indexed_ids()


def test_expunge_removes_the_entry_and_keeps_the_copys(alice, build, deliver, found):
    deliver(alice, build("expunged", "budget"))
    copy_messages(alice.pk, "INBOX", [1], "Archive")
    store_flags(alice.pk, "INBOX", [1], ["\\Deleted"])
    assert expunge(alice.pk, "INBOX") == [1]
    assert found(alice, "budget", queryset=Message.objects.filter(folder__name="INBOX")) == set()
    assert found(alice, "budget") == {"expunged"}
    assert set(Message.objects.values_list("pk", flat=True)) == indexed_ids()
    store_flags(alice.pk, "Archive", [1], ["\\Deleted"])
    expunge(alice.pk, "Archive")
    assert found(alice, "budget") == set()
    assert indexed_ids() == set()


HOSTILE = [
    '"', '""', '"""', "'", "''", "*", "**", "a*", "*a", "^a", "-a", "+a", "!a", "~a", "a:", ":a", ":*", "a:*A",
    "AND", "OR", "NOT", "NEAR", "NEAR(a b)", "NEAR(a b, 1)", "a AND b", "a OR b", "a NOT b", "(", ")", "(a OR",
    "{", "}", "{acct}", "{acct} : a1", "acct:", "acct:a1", "acct : a2", "rowid", "sender:", "body:charlie",
    "a & b", "a | b", "!", "<->", "<1>", "a <-> b", "'a':*", "x' | 'y",
    "'; DROP TABLE store_message; --", '" OR 1=1 --', "') OR ('1'='1", "1 OR 1=1", "%", "_", "\\", "\\\"",
    "\x00", "\x00a\x00", "\u200b", "\ufffd", "\ud800", "😀", "🇻🇳", "ǅ", "İ", "ﬁ",
    "a" * 5000, "quá " * 200, "x" * 3000 + " invoice", "1e5 1.5 -1 0x1F 2026-11-02",
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_query_strings_never_raise_nor_cross_accounts(alice, charlie, build, deliver, text):
    deliver(alice, build("alice mail", "a b x y invoice"))
    words = "a b x y invoice acct a1 a2 select drop 1 quá"
    deliver(charlie, build("charlie mail", words, sender="charlie@example.org"))
    everyone = Message.objects.all()
    for query in (
        SearchQuery(text=split_terms(text)),
        SearchQuery(text=[text]),
        SearchQuery(sender=[text], recipients=[text], subject=[text], body=[text]),
    ):
        subjects = set(filter_messages(everyone, alice.pk, query).values_list("subject", flat=True))
        assert subjects <= {"alice mail"}


def test_many_terms_never_raise(alice, build, deliver, found):
    deliver(alice, build("many terms", " ".join(f"w{i}" for i in range(100))))
    assert found(alice, " ".join(f"w{i}" for i in range(100))) == {"many terms"}
