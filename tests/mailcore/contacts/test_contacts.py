"""Correspondents recorded per account and suggested by prefix (mailcore.contacts)."""
from mailcore import contacts
from mailcore.contacts.models import Contact
from mailcore.contacts.services import MAX_SUGGESTIONS, suggest
from mailcore.store.append import append


def test_remember_counts_each_message_and_keeps_a_known_name(alice):
    contacts.remember(alice.pk, [("Carol", "Carol@Example.net"), ("", "dan@example.net")], sent=True)
    contacts.remember(alice.pk, [("", "carol@example.net")], sent=True)
    contacts.remember(alice.pk, [("Carol C.", "carol@example.net")], sent=False)
    carol = Contact.objects.get(account=alice, address="carol@example.net")
    assert (carol.name, carol.sent_count, carol.received_count) == ("Carol C.", 2, 1)
    assert Contact.objects.filter(account=alice).count() == 2


def test_nonsense_is_not_remembered(alice):
    contacts.remember(alice.pk, [("x", ""), ("y", "no-at-sign"), ("z", "a@" + "b" * 400)], sent=True)
    assert not Contact.objects.exists()


def test_suggestions_match_address_or_name_prefixes_most_used_first(alice):
    contacts.remember(alice.pk, [("Carol King", "carol@example.net")], sent=True)
    contacts.remember(alice.pk, [("", "carl@example.net")], sent=True)
    contacts.remember(alice.pk, [("", "carl@example.net")], sent=True)
    contacts.remember(alice.pk, [("Dan", "dan@example.net")], sent=True)
    assert [c["address"] for c in suggest(alice.pk, "car")] == ["carl@example.net", "carol@example.net"]
    assert [c["address"] for c in suggest(alice.pk, "king")] == ["carol@example.net"]
    assert suggest(alice.pk, "") == []


def test_suggestions_are_limited_and_scoped_to_the_account(alice, bob):
    contacts.remember(alice.pk, [("", f"user{n}@example.net") for n in range(15)], sent=True)
    contacts.remember(bob.pk, [("", "userbob@example.net")], sent=True)
    assert len(suggest(alice.pk, "user")) == MAX_SUGGESTIONS
    assert [c["address"] for c in suggest(bob.pk, "user")] == ["userbob@example.net"]


def test_senders_of_stored_mail_are_copied_once_each(alice, bob):
    raw = b"From: Erin Example <erin@example.net>\r\nTo: alice@example.test\r\nSubject: hi\r\n\r\nhello\r\n"
    append(alice.pk, "INBOX", raw)
    append(alice.pk, "Junk", raw.replace(b"erin@", b"spammer@"))
    append(bob.pk, "INBOX", raw.replace(b"erin@", b"frank@"))
    assert suggest(alice.pk, "erin") == [{"name": "Erin Example", "address": "erin@example.net"}]
    assert suggest(alice.pk, "spam") == [] and suggest(alice.pk, "frank") == []
    append(alice.pk, "INBOX", raw.replace(b"erin@", b"erik@"))
    assert suggest(alice.pk, "erik") == [{"name": "Erin Example", "address": "erik@example.net"}]
    suggest(alice.pk, "eri")
    from mailcore.contacts.models import Contact

    assert Contact.objects.get(account=alice, address="erin@example.net").received_count == 1
