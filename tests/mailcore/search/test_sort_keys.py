"""The sort keys stored at append (mailcore/store/sortkeys.py, collation.py): in the form
they compare in, so the database orders them, the same way for IMAP SORT and the list."""
import unicodedata

from mailcore.store import listing, reading_order
from mailcore.store.append import append
from mailcore.store.collation import MAX_KEY_CHARS, casemap, sort_key
from mailcore.store.models import Message, SearchText
from mailcore.store.search.sorting import sort_uids
from mailcore.store.sortkeys import ordering


def test_rfc5256_keys_are_stored_case_mapped_and_cut(alice):
    long_subject = "Re: [list] " + "é" * 300
    append(alice.pk, "INBOX", f"From: =?utf-8?q?Nguy=E1=BB=85n_An?= <an@example.net>\r\nTo: Team: b@example.org;\r\n"
                              f"Subject: {long_subject}\r\n\r\nbody\r\n".encode())
    message = Message.objects.get()
    assert message.sort_subject == unicodedata.normalize("NFKD", "É" * 300)[:MAX_KEY_CHARS]
    assert message.sort_display_from == unicodedata.normalize("NFKD", "NGUYỄN AN")
    assert message.sort_display_to == "TEAM"
    assert SearchText.objects.values_list("sort_from", "sort_to", "sort_cc").get() == ("AN", "TEAM", "")


def test_casemap_is_ascii_casemap_and_decomposes_other_letters():
    assert casemap("abc_[Z]") == "ABC_[Z]"
    assert casemap("Báo") == "BA\u0301O"
    assert casemap(None) == "" and sort_key(None) == ""
    assert sort_key("x" * 500) == "X" * MAX_KEY_CHARS


def test_a_body_without_its_text_row_sorts_as_the_empty_string(alice):
    """Migration 0009 left no text row for a body it could not read: FROM sorts it as ""
    (first), on PostgreSQL too, where a NULL would come last."""
    for sender in ("b@example.org", "a@example.org", "c@example.org"):
        append(alice.pk, "INBOX", f"From: {sender}\r\nSubject: s\r\n\r\n{sender}\r\n".encode())
    SearchText.objects.filter(blob__messages__uid=3).delete()
    folder_id = alice.folders.get(name="INBOX").pk
    assert sort_uids(folder_id, alice.pk, ("all",), [("FROM", False)]) == [3, 2, 1]
    assert sort_uids(folder_id, alice.pk, ("all",), [("FROM", True)]) == [1, 2, 3]


def test_the_list_orders_by_the_imap_sort_values_through_the_same_function():
    """One function makes both orders (sortkeys.ordering); the list adds its tie-breaker.
    Its subject and sender are SORT's values (base subject, DISPLAYFROM) in reading order
    (issue 17 point 12); recipients are SORT DISPLAYTO's key itself."""
    assert listing.ordering("subject", True) == [*ordering([("READING-SUBJECT", True)]), "-id"]
    assert listing.ordering("from", False) == [*ordering([("READING-DISPLAYFROM", False)]), "id"]
    assert listing.ordering("to", False) == [*ordering([("DISPLAYTO", False)]), "id"]
    assert listing.ordering("bogus", True) == [*ordering([("ARRIVAL", True)]), "-id"]


def test_the_reading_keys_are_made_from_the_sort_values(alice):
    append(alice.pk, "INBOX", b"From: =?utf-8?q?=C3=81nh?= <a@example.net>\r\nSubject: Re: [list] Dao\r\n\r\nx\r\n")
    append(alice.pk, "INBOX", b"From: an@xn--cng-ty-ixa.vn\r\nSubject: Dao\r\n\r\nx\r\n")
    first, second = Message.objects.order_by("uid")
    assert first.subject_key == second.subject_key  # "Re: [list]" off, as SUBJECT takes it off
    assert bytes(first.sender_key) == reading_order.sender_key("Ánh")
    assert bytes(second.sender_key) == reading_order.sender_key("an@công-ty.vn")
