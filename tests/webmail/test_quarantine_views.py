"""A user's quarantine in the webmail: their own held mail only; release to the Inbox (not viruses), delete."""

from mailcore.audit.models import AuditEntry
from mailcore.delivery.local import deliver_due_local
from mailcore.delivery.models import QueueRecipient
from mailcore.directory.services import create_alias
from mailcore.filters.models import QuarantinedMessage
from mailcore.filters.quarantine import hold
from mailcore.store import blobs
from mailcore.store.models import Message

LIST = "/mail/quarantine/"


def _raw(subject):
    return f"From: s@example.net\r\nTo: you\r\nSubject: {subject}\r\n\r\nbody of {subject}\r\n".encode()


def _hold(recipients, subject="Cheap pills", kind="spam", reason="score 12.5: BAYES_99"):
    return hold(_raw(subject), mail_from="s@example.net", recipients=recipients, kind=kind, reason=reason,
                score=12.5 if kind == "spam" else None)


def test_the_list_shows_the_users_held_mail_with_the_reason(alice_client, alice):
    _hold([alice.address])
    page = alice_client.get(LIST).content.decode()
    assert "Cheap pills" in page and "BAYES_99" in page


def test_bob_cannot_see_alices_held_mail(bob_client, alice, bob):
    message = _hold([alice.address], subject="For Alice only")
    assert "For Alice only" not in bob_client.get(LIST).content.decode()
    assert bob_client.get(f"{LIST}{message.pk}/").status_code == 404
    assert bob_client.post(f"{LIST}{message.pk}/release/").status_code == 404
    assert bob_client.post(f"{LIST}{message.pk}/delete/").status_code == 404
    assert QuarantinedMessage.objects.get().recipients.count() == 1 and not QueueRecipient.objects.exists()


def test_the_detail_shows_why_and_the_header(alice_client, alice):
    message = _hold([alice.address])
    page = alice_client.get(f"{LIST}{message.pk}/").content.decode()
    assert "score 12.5: BAYES_99" in page and "s@example.net" in page and "Deliver to my Inbox" in page


def test_release_delivers_the_unchanged_message_to_the_inbox(alice_client, alice):
    message = _hold([alice.address])
    assert alice_client.post(f"{LIST}{message.pk}/release/").status_code == 302
    deliver_due_local()
    stored = Message.objects.select_related("blob", "folder").get(account=alice)
    assert stored.folder.name == "INBOX" and blobs.read(stored.blob.digest) == _raw("Cheap pills")
    assert AuditEntry.objects.get(action="quarantine.release").domain == "example.test"
    assert "Cheap pills" not in alice_client.get(LIST).content.decode()


def test_releasing_mail_held_for_an_alias_reaches_only_the_user(alice_client, alice, bob):
    create_alias("team@example.test", [alice.address, bob.address])
    message = _hold(["team@example.test"])
    alice_client.post(f"{LIST}{message.pk}/release/")
    deliver_due_local()
    assert Message.objects.filter(account=alice).count() == 1
    assert not Message.objects.filter(account=bob).exists()
    message.refresh_from_db()
    assert message.status == "held"  # still waiting for bob


def test_users_cannot_release_a_virus(alice_client, alice):
    message = _hold([alice.address], kind="virus", reason="Eicar-Signature")
    assert "Deliver to my Inbox" not in alice_client.get(f"{LIST}{message.pk}/").content.decode()
    assert alice_client.post(f"{LIST}{message.pk}/release/").status_code == 403
    assert not QueueRecipient.objects.exists()


def test_a_user_releases_a_blocked_attachment_sent_to_them(alice_client, alice):
    message = _hold([alice.address], kind="policy", reason="blocked attachment: tool.exe")
    assert "Deliver to my Inbox" in alice_client.get(f"{LIST}{message.pk}/").content.decode()
    assert alice_client.post(f"{LIST}{message.pk}/release/").status_code == 302
    assert QueueRecipient.objects.filter(address=alice.address).count() == 1


def test_delete_removes_the_users_copy(alice_client, alice):
    message = _hold([alice.address], kind="virus")
    assert alice_client.post(f"{LIST}{message.pk}/delete/").status_code == 302
    assert not QuarantinedMessage.objects.exists()
    assert AuditEntry.objects.get(action="quarantine.delete").actor_name == alice.user.get_username()


def test_signed_out_visitors_are_sent_to_sign_in(client, alice):
    response = client.get(LIST)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_list_is_paged(alice_client, alice):
    for n in range(55):
        _hold([alice.address], subject=f"Spam {n:02d}")
    first = alice_client.get(LIST)
    assert len(first.context["page"].object_list) == 50
    assert "Spam 54" in first.content.decode()
    assert "Spam 00" in alice_client.get(LIST, {"page": 2}).content.decode()


def test_a_long_list_is_paged_newest_first(alice_client, alice, monkeypatch):
    from webmail.quarantine import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for number in range(3):
        _hold([alice.address], subject=f"Held {number}")
    first = alice_client.get(LIST).content.decode()
    assert "Held 2" in first and "Held 0" not in first
    assert "Page 1 of 2" in first and 'href="?page=2">Older</a>' in first and ">Newer</a>" not in first
    second = alice_client.get(LIST, {"page": 2}).content.decode()
    assert "Held 0" in second and 'href="?page=1">Newer</a>' in second
