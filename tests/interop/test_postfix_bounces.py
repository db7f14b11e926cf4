"""Bounces made by Postfix come back through HopThu's MX: to a HopThu sender's INBOX, and,
for mail HopThu forwarded, to the original sender through the SRS address."""
import re

import pytest

from mailcore.delivery.models import QueuedMessage, QueueRecipient
from mailcore.directory.services import set_forward

from .conftest import flush_outbound

pytestmark = pytest.mark.slow


def delivery_status(bounce) -> tuple:
    """The per-message and first per-recipient fields of a DSN (RFC 3464 §2.2, §2.3)."""
    report = next(part for part in bounce.walk() if part.get_content_type() == "message/delivery-status")
    per_message, per_recipient = report.get_payload()[:2]
    return per_message, per_recipient


def test_rfc3464_postfix_bounce_of_hopthu_mail_reaches_the_sender_inbox(alice, hopthu, peer, submit, inbox):
    raw = (b"From: alice@example.test\r\nTo: ghost@gateway.test\r\nSubject: to a ghost\r\n"
           b"Message-ID: <ghost.1@example.test>\r\n\r\nAnyone there?\r\n")
    submit(raw, ["ghost@gateway.test"])
    assert flush_outbound(expect=1) == 1
    # Postfix took it (250) and bounced it later: HopThu's part was done.
    assert QueueRecipient.objects.get(address="ghost@gateway.test").status == "delivered"
    [bounce] = inbox("alice@example.test")
    assert bounce["From"] == "Mail Delivery System <MAILER-DAEMON@mx.postfix.test>"
    assert bounce["Return-Path"] == "<>"  # RFC 5321 §4.5.5: MAIL FROM:<> all the way
    assert bounce["Delivered-To"] == "alice@example.test"
    per_message, status = delivery_status(bounce)
    assert per_message["Reporting-MTA"] == "dns; mx.postfix.test"
    assert per_message["X-Postfix-Sender"] == "rfc822; alice@example.test"
    assert status["Final-Recipient"] == "rfc822; ghost@gateway.test"
    assert (status["Action"], status["Status"]) == ("failed", "5.1.1")
    returned = next(part for part in bounce.walk() if part.get_content_type() == "message/rfc822")
    assert returned.get_payload()[0]["Message-ID"] == "<ghost.1@example.test>"
    peer.wait_for_log(r"from=<>, size=\d+, nrcpt=1")
    peer.wait_for_log(rf"to=<alice@example\.test>, relay=127\.0\.0\.1\[127\.0\.0\.1\]:{hopthu.ports['smtp']},"
                      r".*status=sent \(250 ")
    assert QueuedMessage.objects.get(source="mx").mail_from == ""


def test_srs_a_forward_bounced_by_postfix_returns_to_the_original_sender(alice, hopthu, peer, send_via_postfix):
    set_forward("alice@example.test", ["ghost@gateway.test"], keep_copy=False)
    raw = (b"From: Erin <erin@sender.example>\r\nTo: alice@example.test\r\nSubject: please forward\r\n"
           b"Message-ID: <srs.1@sender.example>\r\n\r\nFor Alice, wherever she is.\r\n")
    # erin's server (Postfix) → HopThu's MX → forwarded (SRS) → Postfix, which bounces it.
    send_via_postfix(raw, ["alice@example.test"])
    assert flush_outbound(expect=1) == 1
    forwarded = QueueRecipient.objects.get(address="ghost@gateway.test")
    assert forwarded.status == "delivered"
    srs_sender = forwarded.message.mail_from
    assert re.fullmatch(r"SRS0=[A-Z2-7]{8}=[A-Z2-7]{2}=sender\.example=erin@mx\.example\.test", srs_sender)
    peer.wait_for_log(rf"from=<{re.escape(srs_sender)}>, size=\d+, nrcpt=1")

    # Postfix's bounce goes to the SRS address; HopThu takes it at RCPT, reverses it and
    # queues it for the original sender's domain.
    back = QueueRecipient.objects.filter(address="erin@sender.example")
    assert flush_outbound(expect=1) == 1
    assert back.get().status == "delivered"
    assert back.get().message.mail_from == ""
    peer.wait_for_log(rf"to=<{re.escape(srs_sender)}>, relay=127\.0\.0\.1\[127\.0\.0\.1\]:\d+,.*status=sent \(250 ")

    [bounce] = peer.wait_for_mail("erin@sender.example")
    assert bounce["Return-Path"] == "<>"
    assert bounce["From"] == "Mail Delivery System <MAILER-DAEMON@mx.postfix.test>"
    per_message, status = delivery_status(bounce)
    assert per_message["X-Postfix-Sender"] == f"rfc822; {srs_sender}"  # what the forward said
    assert status["Final-Recipient"] == "rfc822; ghost@gateway.test"
    assert status["Status"] == "5.1.1"
    returned = next(part for part in bounce.walk() if part.get_content_type() == "message/rfc822")
    assert returned.get_payload()[0]["Message-ID"] == "<srs.1@sender.example>"


def test_srs_an_address_postfix_forged_is_refused_at_rcpt(alice, hopthu, peer, send_via_postfix):
    # Postfix relays a "bounce" to an SRS address HopThu never signed: refused at RCPT,
    # so HopThu cannot be used to reflect mail at anyone (srs.reverse checks the hash).
    forged = "SRS0=AAAA=AA=victim.example=someone@mx.example.test"
    send_via_postfix(b"From: x@sender.example\r\nSubject: forged\r\n\r\nbody\r\n", [forged], sender="")
    peer.wait_for_log(rf"to=<{re.escape(forged)}>,.*status=bounced \(host 127\.0\.0\.1\[127\.0\.0\.1\] said: 5")
    assert not QueuedMessage.objects.exists()
