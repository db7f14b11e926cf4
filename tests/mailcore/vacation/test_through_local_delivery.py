"""End to end: mail queued for alice, local delivery, the auto-reply queued and delivered."""
import pytest

from mailcore.delivery.local import deliver_due_local
from mailcore.delivery.models import QueuedMessage, QueueRecipient
from mailcore.delivery.queue import Envelope, enqueue
from mailcore.store.models import Message
from tests.mailcore.vacation.conftest import message

pytestmark = pytest.mark.django_db


def arrive(raw, mail_from="carol@example.net", to="alice@example.test"):
    enqueue(raw, Envelope(mail_from=mail_from, recipients=[to]))
    deliver_due_local()


def replies():
    return QueuedMessage.objects.filter(source=QueuedMessage.Source.AUTO_REPLY)


def test_the_first_message_gets_one_reply_the_second_none(away, alice):
    arrive(message())
    arrive(message().replace(b"lunch-1", b"lunch-2"))
    assert Message.objects.filter(account=alice, folder__name="INBOX").count() == 2
    [reply] = replies()
    assert QueueRecipient.objects.get(message=reply).address == "carol@example.net"
    assert QueueRecipient.objects.filter(message__source="mx", status="delivered").count() == 2


def test_a_list_message_is_delivered_without_a_reply(away, alice):
    arrive(message("List-Id: Lunch club <lunch.example.net>"))
    assert Message.objects.filter(account=alice, folder__name="INBOX").count() == 1
    assert not replies().exists()


def test_a_reply_to_a_local_sender_lands_in_their_inbox_and_is_not_answered(away, alice, bob):
    from mailcore.delivery.models import VacationReply

    VacationReply.objects.create(account=bob, enabled=True, body="Bob is away too.")
    arrive(message(sender="bob@example.test"), mail_from="bob@example.test")
    deliver_due_local()  # alice's reply, to bob
    answer = Message.objects.get(account=bob, folder__name="INBOX")
    assert answer.subject == "Auto: Lunch?"
    # Bob's own vacation does not answer an auto-reply: two responders never loop.
    assert replies().count() == 1


def test_a_forward_without_a_copy_sends_no_reply(away, alice):
    from mailcore.directory.services import set_forward

    set_forward(alice.address, ["alice@example.net"], keep_copy=False)
    arrive(message())
    assert not replies().exists()


def test_junk_gets_no_reply(away, alice, settings):
    settings.HOPTHU_FILTERS = ("tests.mailcore.smtp.sample_hooks.JunkOrDiscard",)
    arrive(message(subject="cheap pills"))
    assert Message.objects.get(account=alice).folder.name == "Junk"
    assert not replies().exists()


def test_delivery_stands_when_the_reply_fails(away, alice, monkeypatch):
    from mailcore.delivery import vacation

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(vacation, "build_reply", broken)
    arrive(message())
    assert Message.objects.filter(account=alice).count() == 1
    assert QueueRecipient.objects.get(address="alice@example.test").status == "delivered"
