"""Daily counts from the outbound queue: a remote delivery counts "sent" for the sender's
domain, a permanent failure "bounced"; counting runs after the commit and never fails mail."""
import logging

from mailcore.delivery.models import QueuedMessage, QueueRecipient
from mailcore.delivery.queue import Envelope, enqueue, message_id_of
from mailcore.delivery.remote import deliver_due_remote
from mailcore.stats import counts, pending
from mailcore.stats.models import DailyCount
from tests.mailcore.outbound import conftest as outbound

# The outbound tests' fixtures: aiosmtpd sinks on loopback found through the stub DNS server.
sink, server_tls_context, publish_mx = outbound.sink, outbound.server_tls_context, outbound.publish_mx
dns_server, shared_dns_server, outbound_settings = outbound.dns_server, outbound.shared_dns_server, \
    outbound.outbound_settings

RAW = b"From: alice@example.test\r\nTo: carol@example.net\r\nSubject: hi\r\nMessage-ID: <s1@example.test>\r\n\r\nHi\r\n"


def counted(domain: str, kind: str) -> int:
    return sum(DailyCount.objects.filter(domain=domain, kind=kind).values_list("count", flat=True))


def send(*recipients, sender="alice@example.test"):
    return enqueue(RAW, Envelope(sender, list(recipients), source=QueuedMessage.Source.SUBMISSION))


def test_a_remote_delivery_counts_as_sent_for_the_senders_domain(domain, sink, publish_mx,
                                                                  django_capture_on_commit_callbacks):
    sink()
    publish_mx("example.net", (10, "mx1.example.net", "127.0.0.1"))
    send("carol@example.net", "dave@example.net")
    with django_capture_on_commit_callbacks(execute=True):
        deliver_due_remote()
    assert counted("example.test", "sent") == 2
    assert not DailyCount.objects.filter(domain="example.net").exists()
    assert counted("example.test", "bounced") == 0


def test_a_permanent_failure_counts_as_bounced_once(domain, alice, sink, publish_mx,
                                                    django_capture_on_commit_callbacks):
    remote = sink()
    remote.rcpt_replies = {"carol@example.net": "550 5.1.1 no such user"}
    publish_mx("example.net", (10, "mx1.example.net", "127.0.0.1"))
    send("carol@example.net", "dave@example.net")
    with django_capture_on_commit_callbacks(execute=True):
        deliver_due_remote()
    assert (counted("example.test", "sent"), counted("example.test", "bounced")) == (1, 1)
    # The report to alice is mail she receives.
    assert QueuedMessage.objects.filter(source="bounce").exists()
    pending.write_now()  # received mail is noted in memory and written in the background
    assert counted("example.test", "received") == 1


def test_a_temporary_failure_counts_nothing_yet(domain, sink, publish_mx, django_capture_on_commit_callbacks):
    remote = sink()
    remote.rcpt_replies = {"carol@example.net": "451 4.2.0 later"}
    publish_mx("example.net", (10, "mx1.example.net", "127.0.0.1"))
    send("carol@example.net")
    with django_capture_on_commit_callbacks(execute=True):
        deliver_due_remote()
    assert not DailyCount.objects.exists()


def test_a_counting_failure_never_fails_the_delivery(domain, sink, publish_mx, monkeypatch, caplog,
                                                     django_capture_on_commit_callbacks):
    def broken(tallies):
        raise RuntimeError("statistics database on fire")

    monkeypatch.setattr(counts, "count_many", broken)
    sink()
    publish_mx("example.net", (10, "mx1.example.net", "127.0.0.1"))
    send("carol@example.net")
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        deliver_due_remote()
    assert QueueRecipient.objects.get().status == "delivered"
    assert "could not record mail statistics" in caplog.text


def test_one_upsert_per_domain_and_kind_for_a_whole_batch(domain, alice, bob, django_assert_max_num_queries,
                                                          django_capture_on_commit_callbacks):
    recipients = ["alice@example.test", "bob@example.test"] * 10
    with django_capture_on_commit_callbacks() as callbacks:
        enqueue(RAW, Envelope("x@example.net", recipients))
    with django_assert_max_num_queries(8):  # one upsert (update, then get_or_create), not 20
        for callback in callbacks:
            callback()
        pending.write_now()  # noted in memory at commit, written in the background
    assert counted("example.test", "received") == 20


def test_the_message_id_is_read_even_when_folded():
    assert message_id_of(b"Subject: x\r\nMessage-ID:\r\n <folded@example.net>\r\n\r\nMessage-ID: <body>\r\n") == \
        "<folded@example.net>"
    assert message_id_of(b"Subject: none\r\n\r\nMessage-ID: <in-body@example.net>\r\n") == ""
