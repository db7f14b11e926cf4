"""Settings → Recover deleted messages: list (search, date), choose several, put back."""
import pytest

from mailcore.store.append import append
from mailcore.store.messages import expunge, store_flags
from mailcore.store.models import Folder, Message, RecoverableMessage

pytestmark = pytest.mark.django_db
URL = "/mail/settings/deleted-mail/"


def raw(subject, sender="Bob <bob@example.test>"):
    return f"From: {sender}\r\nTo: alice@example.test\r\nSubject: {subject}\r\n\r\nbody\r\n".encode()


def deleted(account, subject, folder="INBOX", **kwargs):
    uid = append(account.pk, folder, raw(subject, **kwargs)).uid
    store_flags(account.pk, folder, [uid], ["\\Deleted"])
    expunge(account.pk, folder, [uid])
    return RecoverableMessage.objects.get(account=account, subject=subject)


def test_the_page_lists_deleted_messages_with_their_folder_and_dates(alice_client, alice):
    deleted(alice, "Invoice 42")
    page = alice_client.get(URL).content.decode()
    assert "Invoice 42" in page and "INBOX" in page and "bob@example.test" in page
    assert "14 days" in page


def test_search_narrows_by_subject_or_sender(alice_client, alice):
    deleted(alice, "Invoice 42")
    deleted(alice, "Lunch", sender="Carol <carol@example.net>")
    page = alice_client.get(URL, {"q": "carol"}).content.decode()
    assert "Lunch" in page and "Invoice 42" not in page
    assert "No deleted message matches" in alice_client.get(URL, {"q": "nothing like it"}).content.decode()


def test_recover_puts_several_back_and_says_how_many(alice_client, alice):
    rows = [deleted(alice, "one"), deleted(alice, "two"), deleted(alice, "three")]
    response = alice_client.post(URL, {"message": [rows[0].pk, rows[2].pk]}, follow=True)
    assert "2 messages were recovered." in response.content.decode()
    assert set(Message.objects.filter(account=alice).values_list("subject", flat=True)) == {"one", "three"}
    assert list(RecoverableMessage.objects.values_list("subject", flat=True)) == ["two"]


def test_emptied_trash_is_recoverable_into_trash(alice_client, alice):
    trash = Folder.objects.get(account=alice, special_use="\\Trash")
    append(alice.pk, trash.name, raw("binned"))
    alice_client.post(f"/mail/folder/{trash.pk}/act/", {"action": "empty"})
    row = RecoverableMessage.objects.get(account=alice)
    alice_client.post(URL, {"message": [row.pk]})
    assert Message.objects.get(account=alice).folder == trash


def test_a_replaced_draft_is_not_offered_for_recovery(alice):
    from webmail.compose.drafts import save

    first = save(alice, raw("draft v1"))
    save(alice, raw("draft v2"), previous_uid=first)
    assert not RecoverableMessage.objects.exists()


def test_another_accounts_message_is_neither_listed_nor_recovered(alice_client, bob):
    row = deleted(bob, "bob's secret")
    assert "bob&#x27;s secret" not in alice_client.get(URL).content.decode()
    alice_client.post(URL, {"message": [row.pk]})
    assert RecoverableMessage.objects.filter(pk=row.pk).exists()


def test_hostile_ids_are_ignored(alice_client, alice):
    deleted(alice, "stays")
    response = alice_client.post(URL, {"message": ["x", "-1", "1; DROP TABLE", "99999999999"]}, follow=True)
    assert response.status_code == 200
    assert "Nothing was recovered" in response.content.decode()
    assert RecoverableMessage.objects.count() == 1


def test_a_full_mailbox_says_so(alice_client, alice):
    row = deleted(alice, "too big")
    alice.quota = 10
    alice.save(update_fields=["quota"])
    response = alice_client.post(URL, {"message": [row.pk]}, follow=True)
    assert "The mailbox is full" in response.content.decode()


def test_signed_out_visitors_are_sent_to_sign_in(client):
    assert client.get(URL).status_code == 302


def test_the_page_speaks_vietnamese(alice_client, alice):
    deleted(alice, "Hóa đơn")
    page = alice_client.get(URL, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Khôi phục thư đã xóa" in page
