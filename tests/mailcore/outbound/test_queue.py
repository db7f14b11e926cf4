"""The outbound queue: queued remote recipients reach the destination's server, DKIM-
signed; temporary failures are retried later, permanent ones bounce to the sender."""
from datetime import timedelta

import dkim
from django.utils import timezone

from mailcore.delivery.models import QueuedMessage, QueueRecipient
from mailcore.delivery.queue import Envelope, enqueue
from mailcore.delivery.remote import deliver_due_remote
from mailcore.directory.services import create_domain
from mailcore.dkim.keys import create_key, dns_record

RAW = (b"From: alice@example.test\r\nTo: carol@example.net, dave@example.net\r\nSubject: hi\r\n"
       b"Message-ID: <q1@example.test>\r\n\r\nHello\r\n")


def queue_remote(*recipients, source=QueuedMessage.Source.SUBMISSION):
    return enqueue(RAW, Envelope("alice@example.test", list(recipients), source=source))


def test_remote_mail_is_delivered_and_signed(db, sink, publish_mx, dns_server):
    create_domain("example.test")
    create_key("example.test")  # made on commit of create_domain in production; tests don't commit
    handler = sink()
    publish_mx("example.net", (10, "mx1.example.net", "127.0.0.1"))
    name, value = dns_record("example.test")
    dns_server.add_txt(name, value)
    queue_remote("carol@example.net", "dave@example.net")
    assert deliver_due_remote() == 2
    assert set(QueueRecipient.objects.values_list("status", flat=True)) == {"delivered"}
    assert len(handler.messages) == 1  # one transaction for both recipients
    delivered = handler.messages[0]
    assert sorted(delivered.rcpt_tos) == ["carol@example.net", "dave@example.net"]
    content = delivered.content
    assert content.startswith(b"DKIM-Signature:")

    def dnsfunc(name, timeout=5):
        from mailcore.dns import txt_strings

        return "".join(txt_strings(name.decode().rstrip("."))).encode()

    assert dkim.verify(content, dnsfunc=dnsfunc)


def test_temporary_failures_are_retried_later(db, sink, publish_mx):
    handler = sink()
    handler.rcpt_replies = {"carol@example.net": "451 4.2.0 try later"}
    publish_mx("example.net", (10, "mx1.example.net", "127.0.0.1"))
    create_domain("example.test")
    queue_remote("carol@example.net")
    deliver_due_remote()
    recipient = QueueRecipient.objects.get()
    assert recipient.status == "deferred" and recipient.attempts == 1
    assert recipient.next_attempt > timezone.now() + timedelta(minutes=4)
    assert deliver_due_remote() == 0  # not due yet


def test_permanent_failures_bounce_to_the_sender(db, sink, publish_mx):
    create_domain("example.test")
    publish_mx("example.net", (10, "mx1.example.net", "127.0.0.1"))
    handler = sink()
    handler.rcpt_replies = {"carol@example.net": "550 5.1.1 no such user"}
    queue_remote("carol@example.net")
    deliver_due_remote()
    assert QueueRecipient.objects.get(address="carol@example.net").status == "failed"
    bounce = QueuedMessage.objects.get(source="bounce")
    assert bounce.mail_from == "" and list(bounce.recipients.values_list("address", flat=True)) == [
        "alice@example.test"]


def test_null_mx_fails_at_once(db, dns_server):
    dns_server.add("example.net", "MX", "0 .")
    queue_remote("carol@example.net", source=QueuedMessage.Source.FORWARD)
    deliver_due_remote()
    recipient = QueueRecipient.objects.get(address="carol@example.net")
    assert recipient.status == "failed" and "5.1.10" in recipient.last_result


def test_the_sweep_fans_out_one_task_per_destination(db, sink, publish_mx):
    from config.celery import app

    app.conf.task_always_eager = True  # run the fanned-out tasks here, as a worker would
    try:
        from mailcore.delivery.tasks import deliver_remote, due_domains

        handler = sink()
        publish_mx("example.net", (10, "mx1.example.net", "127.0.0.1"))
        publish_mx("example.org", (10, "mx2.example.org", "127.0.0.1"))
        queue_remote("carol@example.net", "erin@example.org")
        assert sorted(due_domains()) == ["example.net", "example.org"]
        deliver_remote()
        assert set(QueueRecipient.objects.values_list("status", flat=True)) == {"delivered"}
        assert len(handler.messages) == 2  # one transaction per destination
        assert due_domains() == []
    finally:
        app.conf.task_always_eager = False
