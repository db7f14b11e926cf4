"""Postfix delivers to HopThu's MX: what a real peer MTA sends arrives unchanged, and what
HopThu refuses comes back to the sender as Postfix's own bounce."""
import re

import pytest

from mailcore.delivery.models import QueuedMessage
from tests.support.postfix import IGNORES_SIZE

pytestmark = pytest.mark.slow

SIZE_LIMIT = 64 * 1024


def raw_message(subject: str, body: str = "Hello from Postfix.\r\n", *, to="alice@example.test",
                sender="erin@sender.example", extra: str = "") -> bytes:
    return (f"From: {sender}\r\nTo: {to}\r\nSubject: {subject}\r\n"
            f"Message-ID: <{abs(hash(subject))}@sender.example>\r\n{extra}\r\n{body}").encode()


def test_rfc5321_postfix_relays_a_plain_message_to_the_mx(alice, hopthu, peer, send_via_postfix, inbox, mx_port):
    send_via_postfix(raw_message("plain ascii"), ["alice@example.test"])
    [message] = inbox("alice@example.test")
    assert message["Subject"] == "plain ascii"
    assert message.get_content().strip() == "Hello from Postfix."
    received = message.get_all("Received")
    assert "by mx.example.test (HopThu) with ESMTPS" in received[0] and "mx.postfix.test" in received[0]
    assert "(using TLSv1." in received[0]  # Postfix's smtp client took HopThu's STARTTLS
    assert "by mx.postfix.test (Postfix)" in received[1]
    assert message["Return-Path"] == "<erin@sender.example>"
    peer.wait_for_log(rf"to=<alice@example\.test>, relay=127\.0\.0\.1\[127\.0\.0\.1\]:{mx_port},.*status=sent \(250 ")


def test_rfc6152_an_8bit_body_crosses_without_conversion(alice, hopthu, peer, send_via_postfix, inbox):
    # Postfix downgrades 8-bit mail to quoted-printable for a server without 8BITMIME.
    body = "Chào bạn, hóa đơn tháng này đính kèm.\r\n"
    raw = raw_message("8bit", body, extra="MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                                         "Content-Transfer-Encoding: 8bit\r\n")
    send_via_postfix(raw, ["alice@example.test"], mail_options=["BODY=8BITMIME"])
    [message] = inbox("alice@example.test")
    assert message["Content-Transfer-Encoding"] == "8bit"
    assert message.get_payload(decode=False).encode("utf-8", "surrogateescape") == body.encode()


def test_rfc6531_utf8_addresses_and_headers_cross_with_smtputf8(alice, hopthu, peer, send_via_postfix, inbox):
    from mailcore.directory.services import create_alias

    create_alias("thư@example.test", ["alice@example.test"])
    sender = "người.gửi@sender.example"
    raw = (f"From: Người Gửi <{sender}>\r\nTo: <thư@example.test>\r\nSubject: Thư tiếng Việt\r\n"
           "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n"
           "\r\nXin chào.\r\n").encode()
    send_via_postfix(raw, ["thư@example.test"], sender=sender, mail_options=["SMTPUTF8", "BODY=8BITMIME"])
    [message] = inbox("alice@example.test")
    assert message["Subject"] == "Thư tiếng Việt"
    assert message["From"].addresses[0].addr_spec == sender
    assert message["Return-Path"] == f"<{sender}>"
    assert message["Delivered-To"] == "alice@example.test"
    assert " with UTF8SMTPS " in message.get_all("Received")[0]  # RFC 6531 §3.7.4: the WITH keyword
    peer.wait_for_log(r"to=<thư@example\.test>,.*status=sent \(250 ")


def test_rfc2920_several_recipients_cross_in_one_pipelined_transaction(alice, bob, hopthu, peer, send_via_postfix,
                                                                        inbox):
    send_via_postfix(raw_message("for two", to="alice@example.test, bob@example.test"),
                     ["alice@example.test", "bob@example.test"])
    [for_alice] = inbox("alice@example.test")
    [for_bob] = inbox("bob@example.test")
    assert for_alice["Message-ID"] == for_bob["Message-ID"]
    # One transaction from Postfix: one queued message with both recipients at HopThu.
    [queued] = QueuedMessage.objects.filter(source="mx")
    assert sorted(queued.recipients.values_list("address", flat=True)) == ["alice@example.test", "bob@example.test"]
    # Postfix's log says the same: both recipients sent in one session, one HopThu queue id.
    sent = re.findall(r"postfix/smtp\[(\d+)\]: \w+: to=<(\w+)@example\.test>,.*status=sent \(250 .*queued as (\w+)\)",
                      peer.log())
    assert sorted(recipient for _pid, recipient, _id in sent) == ["alice", "bob"]
    assert len({(pid, queue_id) for pid, _recipient, queue_id in sent}) == 1


@pytest.fixture
def size_limit(settings):
    """A lowered message size limit: requested before `hopthu`, the MX starts with it."""
    settings.HOPTHU_MAX_MESSAGE_SIZE = SIZE_LIMIT
    return SIZE_LIMIT


def padded(subject: str, size: int) -> bytes:
    head = raw_message(subject, "")
    line = b"x" * 76 + b"\r\n"
    return head + line * ((size - len(head)) // len(line))


def test_rfc1870_a_message_just_under_the_size_limit_is_accepted(size_limit, alice, hopthu, peer, send_via_postfix,
                                                                  inbox):
    # Postfix adds its Received field (~250 octets) and HopThu counts what arrives.
    raw = padded("near the limit", size_limit - 1024)
    send_via_postfix(raw, ["alice@example.test"])
    [message] = inbox("alice@example.test")
    assert message["Subject"] == "near the limit"
    assert len(message.get_content()) > size_limit - 2048


def delivery_status(bounce) -> dict:
    """The per-recipient fields of a DSN's message/delivery-status part (RFC 3464 §2.3)."""
    report = next(part for part in bounce.walk() if part.get_content_type() == "message/delivery-status")
    return report.get_payload()[1]


def test_rfc1870_6_postfix_bounces_what_exceeds_the_advertised_size_without_sending(size_limit, alice, hopthu, peer,
                                                                                   send_via_postfix):
    send_via_postfix(padded("over the limit", size_limit + 1024), ["alice@example.test"])
    [bounce] = peer.wait_for_mail("erin@sender.example")
    assert bounce["From"] == "Mail Delivery System <MAILER-DAEMON@mx.postfix.test>"
    assert bounce["Return-Path"] == "<>"
    status = delivery_status(bounce)
    assert status["Final-Recipient"] == "rfc822; alice@example.test"
    assert status["Status"] == "5.3.4"
    assert f"exceeds size limit {size_limit} of server 127.0.0.1" in " ".join(str(status["Diagnostic-Code"]).split())
    assert not QueuedMessage.objects.exists()


def test_rfc1870_the_mx_answers_552_to_a_client_that_ignores_its_size(size_limit, alice, hopthu, peer,
                                                                       send_via_postfix):
    from mailcore.directory.services import create_alias

    create_alias(IGNORES_SIZE, ["alice@example.test"])
    send_via_postfix(padded("over the limit, sent anyway", size_limit + 1024), [IGNORES_SIZE])
    [bounce] = peer.wait_for_mail("erin@sender.example")
    status = delivery_status(bounce)
    assert status["Final-Recipient"] == f"rfc822; {IGNORES_SIZE}"
    assert status["Status"].startswith("5.")
    assert status["Remote-MTA"] == "dns; 127.0.0.1"
    assert " ".join(str(status["Diagnostic-Code"]).split()).startswith("smtp; 552 ")
    peer.wait_for_log(r"to=<big@example\.test>,.*status=bounced \(host 127\.0\.0\.1\[127\.0\.0\.1\] said: 552 ")
    assert not QueuedMessage.objects.exists()
