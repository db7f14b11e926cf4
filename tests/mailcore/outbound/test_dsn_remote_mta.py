"""RFC 3464 §2.3.5, §2.3.6: the bounce the outbound queue sends names, per recipient, the
remote MTA whose reply failed the mail (Remote-MTA: dns; <host>) and that reply
(Diagnostic-Code: smtp; <reply>); a failure decided here, with no server's reply, has
no Remote-MTA."""
import email
import email.policy
from datetime import timedelta

from django.utils import timezone

from mailcore.delivery.models import QueuedMessage, QueueRecipient
from mailcore.delivery.queue import Envelope, enqueue
from mailcore.delivery.remote import deliver_due_remote
from mailcore.directory.services import create_domain
from mailcore.store import blobs

RAW = (b"From: alice@example.test\r\nTo: carol@example.net, dave@example.net\r\nSubject: hi\r\n"
       b"Message-ID: <r1@example.test>\r\n\r\nHello\r\n")


def queue_remote(*recipients):
    return enqueue(RAW, Envelope("alice@example.test", list(recipients), source=QueuedMessage.Source.SUBMISSION))


def delivery_status(address: str) -> dict:
    """The bounce's per-recipient fields, by recipient address (RFC 3464 §2.3)."""
    bounce = QueuedMessage.objects.get(source="bounce")
    report = email.message_from_bytes(blobs.read(bounce.blob.digest), policy=email.policy.default)
    status = next(part for part in report.walk() if part.get_content_type() == "message/delivery-status")
    blocks = {str(block["Final-Recipient"]): block for block in status.get_payload()[1:]}
    return blocks[f"rfc822; {address}"]


def test_rfc3464_2_3_5_a_refused_rcpt_names_the_remote_mta_and_its_reply(db, sink, publish_mx):
    create_domain("example.test")
    publish_mx("example.net", (10, "mx1.example.net", "127.0.0.1"))
    remote = sink()
    remote.rcpt_replies = {"carol@example.net": "550 5.1.1 <carol@example.net>: no such user"}
    queue_remote("carol@example.net")
    deliver_due_remote()
    status = delivery_status("carol@example.net")
    assert status["Remote-MTA"] == "dns; mx1.example.net"
    assert status["Diagnostic-Code"] == "smtp; 550 5.1.1 <carol@example.net>: no such user"
    assert (status["Action"], status["Status"]) == ("failed", "5.1.1")


def test_rfc3464_2_3_5_each_recipient_names_the_reply_that_failed_it(db, sink, publish_mx):
    create_domain("example.test")
    publish_mx("example.net", (10, "mx1.example.net", "127.0.0.1"))
    remote = sink()
    remote.rcpt_replies = {"carol@example.net": "550 5.1.1 no such user"}
    remote.data_reply = "554 5.7.1 message refused"  # for dave, who passed RCPT
    queue_remote("carol@example.net", "dave@example.net")
    deliver_due_remote()
    carol, dave = delivery_status("carol@example.net"), delivery_status("dave@example.net")
    assert (carol["Remote-MTA"], carol["Diagnostic-Code"]) == ("dns; mx1.example.net", "smtp; 550 5.1.1 no such user")
    assert (dave["Remote-MTA"], dave["Diagnostic-Code"]) == ("dns; mx1.example.net", "smtp; 554 5.7.1 message refused")


def test_rfc3464_2_3_5_mail_given_up_after_a_remote_4xx_names_that_mta(db, sink, publish_mx, settings):
    create_domain("example.test")
    publish_mx("example.net", (10, "mx1.example.net", "127.0.0.1"))
    remote = sink()
    remote.rcpt_replies = {"carol@example.net": "450 4.2.1 try later"}
    queue_remote("carol@example.net")
    QueuedMessage.objects.update(received_at=timezone.now() - timedelta(seconds=settings.HOPTHU_QUEUE_LIFETIME_SECONDS))
    deliver_due_remote()  # the queue lifetime is over: this attempt is the last
    assert QueueRecipient.objects.get(address="carol@example.net").status == "failed"
    status = delivery_status("carol@example.net")
    assert (status["Remote-MTA"], status["Diagnostic-Code"]) == ("dns; mx1.example.net", "smtp; 450 4.2.1 try later")


def test_a_failure_decided_here_names_no_remote_mta(db, dns_server):
    create_domain("example.test")
    dns_server.add("example.net", "MX", "0 .")  # null MX (RFC 7505): no server was asked
    queue_remote("carol@example.net")
    deliver_due_remote()
    status = delivery_status("carol@example.net")
    assert status["Remote-MTA"] is None
    assert str(status["Diagnostic-Code"]).startswith("smtp; 556 5.1.10 ")
