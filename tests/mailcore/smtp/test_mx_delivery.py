"""Mail to a hosted address over the MX port lands in the INBOX, with trace fields."""
from email.message import EmailMessage

from mailcore.delivery.models import QueueRecipient
from mailcore.directory.services import create_alias, create_domain_alias, set_forward
from mailcore.store.fetch import fetch_raw
from mailcore.store.models import Blob, Message

from .conftest import wait_for


def message(subject="Hello", to="alice@example.test", sender="bob@example.net"):
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = to
    mail["Subject"] = subject
    mail.set_content("Xin chào!\n")
    return mail


def inbox(account):
    return Message.objects.filter(account=account, folder__name="INBOX").order_by("uid")


def test_a_message_is_delivered_to_the_inbox_with_trace_fields(alice, mx):
    refused = mx.send_message(message(), "bob@example.net", ["alice@example.test"])
    assert refused == {}
    stored = wait_for(lambda: inbox(alice).first(), what="delivery")
    assert stored.subject == "Hello" and stored.uid == 1
    raw = fetch_raw(stored)
    assert raw.startswith(b"Return-Path: <bob@example.net>\r\nDelivered-To: alice@example.test\r\nReceived: from ")
    assert b"by mx.example.test (HopThu) with ESMTP" in raw
    assert b"for <alice@example.test>" in raw
    assert QueueRecipient.objects.get().status == QueueRecipient.Status.DELIVERED


def test_recipients_of_one_message_share_one_blob(alice, bob, mx):
    mx.send_message(message(to="alice@example.test, bob@example.test"), "bob@example.net",
                    ["alice@example.test", "bob@example.test"])
    wait_for(lambda: inbox(alice).exists() and inbox(bob).exists(), what="delivery to both")
    assert Blob.objects.count() == 1
    assert b"Delivered-To: bob@example.test" in fetch_raw(inbox(bob).get())
    assert b"for <" not in fetch_raw(inbox(bob).get())  # no Bcc disclosure between recipients


def test_aliases_catch_all_and_domain_aliases_expand(alice, bob, mx):
    create_alias("team@example.test", ["alice@example.test", "bob@example.test"])
    create_alias("@example.test", ["alice@example.test"])
    create_domain_alias("example.vn", "example.test")
    mx.send_message(message(subject="team"), "x@example.net", ["team@example.vn"])
    mx.send_message(message(subject="anything"), "x@example.net", ["whoever@EXAMPLE.test"])
    wait_for(lambda: inbox(alice).count() == 2 and inbox(bob).count() == 1, what="expansion")
    assert list(inbox(alice).values_list("subject", flat=True)) == ["team", "anything"]
    assert b"Delivered-To: bob@example.test" in fetch_raw(inbox(bob).get())  # the final mailbox, as Postfix


def test_an_account_reached_twice_gets_one_copy(alice, mx):
    create_alias("info@example.test", ["alice@example.test"])
    mx.send_message(message(), "x@example.net", ["alice@example.test", "info@example.test"])
    wait_for(lambda: QueueRecipient.objects.filter(status="delivered").count() == 2, what="delivery")
    assert inbox(alice).count() == 1


def test_forward_without_a_copy_queues_a_remote_copy_with_srs(alice, mx, settings):
    set_forward("alice@example.test", ["alice@elsewhere.net"], keep_copy=False)
    mx.send_message(message(), "bob@example.net", ["alice@example.test"])
    remote = wait_for(lambda: QueueRecipient.objects.filter(kind="remote").first(), what="the forwarded copy")
    assert remote.address == "alice@elsewhere.net" and remote.domain == "elsewhere.net"
    assert remote.message.mail_from.startswith("SRS0=") and remote.message.mail_from.endswith("@mx.example.test")
    assert remote.message.source == "forward"
    assert not inbox(alice).exists()
