"""Sending as a user from the webmail (smtp/submission.py): the rules of SMTP submission,
Bcc kept from the recipients, a durable queue entry and a copy in Sent."""
import pytest
from django.core.exceptions import ValidationError

from mailcore.delivery.models import QueueRecipient
from mailcore.directory.services import create_alias
from mailcore.smtp.submission import submit, without_bcc
from mailcore.store import blobs
from mailcore.store.fetch import fetch_raw
from mailcore.store.models import Message

RAW = (b"From: Alice <alice@example.test>\r\nTo: carol@example.net\r\nBcc: bob@example.test,\r\n"
       b" secret@example.net\r\nSubject: Quarterly report\r\n\r\nSee attached.\r\n")


def field_error(call, *args, **kwargs):
    with pytest.raises(ValidationError) as info:
        call(*args, **kwargs)
    return info.value.message_dict


def test_a_message_is_queued_without_its_bcc_and_kept_in_sent(alice, bob):
    queue_id = submit(alice, RAW, ["carol@example.net", "bob@example.test", "secret@example.net"],
                      client_ip="192.0.2.7")
    recipients = {r.address: r.kind for r in QueueRecipient.objects.filter(message_id=queue_id)}
    assert recipients == {"carol@example.net": "remote", "bob@example.test": "local", "secret@example.net": "remote"}
    queued = QueueRecipient.objects.filter(message_id=queue_id).first().message
    assert (queued.source, queued.account_id, queued.mail_from) == ("webmail", alice.pk, "alice@example.test")
    sent = blobs.read(queued.blob.digest)
    assert sent.startswith(b"Received: from webmail ([192.0.2.7])")
    assert b"Bcc" not in sent and b"secret@" not in sent and b"Subject: Quarterly report" in sent
    copy = Message.objects.get(account=alice, folder__special_use="\\Sent")
    assert copy.seen and b"Bcc: bob@example.test" in fetch_raw(copy)  # the sender's copy keeps it


def test_from_must_be_the_account_or_an_alias(alice):
    create_alias("sales@example.test", ["alice@example.test"])
    submit(alice, RAW.replace(b"Alice <alice@", b"Sales <sales@"), ["carol@example.net"])
    errors = field_error(submit, alice, RAW.replace(b"alice@example.test", b"ceo@example.test"), ["carol@example.net"])
    assert "You may not send as ceo@example.test." in errors["from"]
    assert "from" in field_error(submit, alice, b"To: carol@example.net\r\n\r\nno sender\r\n", ["carol@example.net"])


def test_recipients_are_checked_before_anything_is_queued(alice):
    assert "recipients" in field_error(submit, alice, RAW, [])
    errors = field_error(submit, alice, RAW, ["carol@example.net", "nobody@example.test"])
    assert "nobody@example.test cannot receive mail" in errors["recipients"][0]
    assert "recipients" in field_error(submit, alice, RAW, ["not an address"])
    assert not QueueRecipient.objects.exists()
    assert not Message.objects.filter(account=alice).exists()


def test_the_send_rate_is_the_accounts(alice, settings):
    settings.HOPTHU_SEND_RATE_PER_HOUR = 1
    submit(alice, RAW, ["carol@example.net"])
    assert "rate" in field_error(submit, alice, RAW, ["carol@example.net"])
    assert QueueRecipient.objects.count() == 1


def test_without_bcc_removes_only_bcc_fields_byte_for_byte():
    raw = (b"From: a@x.example\r\nBCC : b@x.example\r\nTo: c@x.example\r\nbcc: d@x.example,\r\n e@x.example\r\n"
           b"\r\nBcc: body\r\n")
    assert without_bcc(raw) == b"From: a@x.example\r\nTo: c@x.example\r\n\r\nBcc: body\r\n"
    assert without_bcc(b"To: a@x.example\r\n\r\nhi\r\n") == b"To: a@x.example\r\n\r\nhi\r\n"
