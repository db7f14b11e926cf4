"""The reply itself (RFC 3834 §3) and the once-per-sender-per-N-days memory."""
import datetime
from email import message_from_bytes, policy

import pytest
from django.utils import timezone

from mailcore.delivery import vacation
from mailcore.delivery.models import QueuedMessage, QueueRecipient, VacationLog
from mailcore.store import blobs
from tests.mailcore.vacation.conftest import message

pytestmark = pytest.mark.django_db


def queued_replies():
    return list(QueuedMessage.objects.filter(source=QueuedMessage.Source.AUTO_REPLY))


def read(queued):
    return message_from_bytes(blobs.read(queued.blob.digest), policy=policy.default)


def test_the_reply_is_threaded_marked_and_sent_with_the_null_sender(away, alice):
    from mailcore.directory.services import set_display_name

    set_display_name(alice.address, "Alice Nguyễn")
    away.refresh_from_db()
    assert vacation.respond(away, message(), "carol@example.net")
    [queued] = queued_replies()
    assert queued.mail_from == "" and queued.account_id == alice.pk  # RFC 3834 §3.3: MAIL FROM:<>
    assert list(QueueRecipient.objects.filter(message=queued).values_list("address", flat=True)) == [
        "carol@example.net"]
    reply = read(queued)
    assert reply["Auto-Submitted"] == "auto-replied"
    assert reply["Subject"] == "Auto: Lunch?"
    assert reply["In-Reply-To"] == "<lunch-1@example.net>"
    assert reply["References"] == "<earlier@example.net> <lunch-1@example.net>"
    assert reply["From"].addresses[0].addr_spec == "alice@example.test"
    assert reply["From"].addresses[0].display_name == "Alice Nguyễn"
    assert reply["To"] == "carol@example.net"
    assert reply.get_content().strip() == "Back on Monday."


def test_the_users_subject_wins_and_an_encoded_original_is_decoded(away):
    raw = message(subject="=?utf-8?q?H=C3=B3a_=C4=91=C6=A1n?=")
    vacation.respond(away, raw, "carol@example.net")
    assert read(queued_replies()[0])["Subject"] == "Auto: Hóa đơn"
    away.subject = "Đi vắng"
    vacation.respond(away, raw, "dave@example.net")
    assert read(queued_replies()[1])["Subject"] == "Đi vắng"


def test_a_line_break_hidden_in_the_subject_does_not_make_a_header(away):
    raw = message(subject="=?utf-8?q?hi=0D=0ABcc:_victim@example.net?=")
    vacation.respond(away, raw, "carol@example.net")
    reply = read(queued_replies()[0])
    assert reply["Bcc"] is None and "victim" in reply["Subject"]


def test_the_reply_is_dkim_signed_with_the_accounts_domain(away):
    from mailcore.dkim.keys import create_key

    create_key("example.test")
    vacation.respond(away, message(), "carol@example.net")
    raw = blobs.read(queued_replies()[0].blob.digest)
    assert raw.startswith(b"DKIM-Signature:") and b"d=example.test" in raw[:400]


def test_once_per_sender_per_interval(away):
    now = timezone.now()
    assert vacation.respond(away, message(), "carol@example.net", now=now)
    assert not vacation.respond(away, message(), "Carol@Example.NET", now=now + datetime.timedelta(days=6))
    assert vacation.respond(away, message(), "dave@example.net", now=now + datetime.timedelta(days=6))
    assert vacation.respond(away, message(), "carol@example.net", now=now + datetime.timedelta(days=7, seconds=1))
    assert len(queued_replies()) == 3
    assert VacationLog.objects.get(sender="carol@example.net").replied_at == now + datetime.timedelta(days=7,
                                                                                                     seconds=1)


def test_the_interval_is_the_users(away):
    away.interval_days = 1
    now = timezone.now()
    vacation.respond(away, message(), "carol@example.net", now=now)
    assert vacation.respond(away, message(), "carol@example.net", now=now + datetime.timedelta(days=1, minutes=1))


def test_a_refused_message_leaves_no_memory(away):
    assert not vacation.respond(away, message("Precedence: bulk"), "carol@example.net")
    assert not VacationLog.objects.exists()
    assert vacation.respond(away, message(), "carol@example.net")


def test_an_error_is_logged_never_raised(away, monkeypatch, caplog):
    def full_disk(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(vacation, "enqueue", full_disk)
    delivered = vacation.Delivered(message(), "carol@example.net", away.account_id)
    assert vacation.reply_after_delivery([delivered]) == 0
    assert "vacation reply of account" in caplog.text
