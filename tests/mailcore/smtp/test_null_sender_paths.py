"""The null reverse-path through everything that reads the envelope sender, over the MX.

SPF checks the HELO identity (RFC 7208 §2.4) and DMARC aligns with it; no vacation reply
answers it (RFC 3834 §2, §3.3); forwarding keeps it (no SRS of an empty path); and its
failures never bounce (RFC 5321 §6.1, RFC 3464 §2).
"""
from mailcore.delivery.models import MailRule, QueuedMessage, QueueRecipient, VacationReply
from mailcore.delivery.remote import deliver_due_remote
from mailcore.delivery.srs import forward_sender
from mailcore.directory.services import set_forward
from mailcore.store.fetch import fetch_raw
from mailcore.store.models import Message

from .conftest import wait_for


def report(sender="MAILER-DAEMON@mail.example.net", subject="Delivery Status Notification", extra=""):
    return (f"From: {sender}\r\nTo: alice@example.test\r\nSubject: {subject}\r\n{extra}"
            "Message-ID: <dsn-1@mail.example.net>\r\n\r\nYour message could not be delivered.\r\n")


def send(mx, mail_from, content, helo="mail.example.net", recipient="<alice@example.test>"):
    mx.ehlo(helo)
    assert mx.mail(mail_from)[0] == 250
    assert mx.rcpt(recipient)[0] == 250
    return mx.data(content)


def stored_for(account):
    return wait_for(lambda: Message.objects.filter(account=account).first(), what="delivery")


def test_rfc7208_2_4_null_reverse_path_checks_spf_of_the_helo_name(alice, mx, dns_server):
    dns_server.add_txt("mail.example.net", "v=spf1 ip4:127.0.0.0/8 -all")
    dns_server.add_txt("_dmarc.example.net", "v=DMARC1; p=reject")
    assert send(mx, "<>", report())[0] == 250
    raw = fetch_raw(stored_for(alice))
    # RFC 8601 §2.7.2: the identity checked was the HELO name.
    assert b"spf=pass smtp.helo=mail.example.net" in raw
    assert b"dmarc=pass" in raw  # RFC 7489 §4.1: SPF of the null path's identity aligns with From


def test_rfc7489_null_reverse_path_from_an_unauthorised_helo_fails_dmarc(alice, mx, dns_server):
    dns_server.add_txt("mail.example.net", "v=spf1 ip4:192.0.2.0/24 -all")
    dns_server.add_txt("_dmarc.example.net", "v=DMARC1; p=reject")
    code, reply = send(mx, "<>", report())
    assert code == 550 and b"DMARC" in reply  # a forged bounce is not let through by <>
    assert not Message.objects.filter(account=alice).exists()


def test_rfc3834_2_no_vacation_reply_to_the_null_reverse_path(alice, mx):
    VacationReply.objects.create(account=alice, enabled=True, body="Back on Monday.")
    # No Auto-Submitted field: only the null path itself can stop the reply.
    assert send(mx, "<>", report(sender="carol@example.net", subject="Null"))[0] == 250
    mx.rset()
    assert send(mx, "<carol@example.net>", report(sender="carol@example.net", subject="Real")
                .replace("dsn-1", "dsn-2"))[0] == 250  # the control: a real sender is answered
    reply = wait_for(lambda: QueuedMessage.objects.filter(source=QueuedMessage.Source.AUTO_REPLY).first(),
                     what="the control's reply")
    assert Message.objects.filter(account=alice).count() == 2
    assert QueuedMessage.objects.filter(source=QueuedMessage.Source.AUTO_REPLY).count() == 1
    assert QueueRecipient.objects.get(message=reply).address == "carol@example.net"
    assert reply.mail_from == ""  # RFC 3834 §3.3: the reply itself goes out from <>


def test_rfc5321_6_1_forwarded_null_sender_mail_keeps_the_null_path_and_never_bounces(alice, mx):
    set_forward("alice@example.test", ["alice@elsewhere.example"], keep_copy=False)
    assert send(mx, "<>", report())[0] == 250
    forwarded = wait_for(lambda: QueueRecipient.objects.filter(kind="remote").first(), what="the forwarded copy")
    assert forwarded.message.source == "forward" and forwarded.message.mail_from == ""  # no SRS of <>
    deliver_due_remote()  # elsewhere.example has no mail server: a permanent failure
    forwarded.refresh_from_db()
    assert forwarded.status == QueueRecipient.Status.FAILED
    assert not QueuedMessage.objects.filter(source=QueuedMessage.Source.BOUNCE).exists()


def test_rfc5321_4_5_5_a_mail_rule_forward_keeps_the_null_path_and_never_bounces(alice, mx):
    MailRule.objects.create(account=alice, name="Reports", conditions=[
        {"field": "subject", "op": "contains", "value": "Delivery"}],
        actions=[{"action": "forward", "address": "alice@elsewhere.example"}])
    assert send(mx, "<>", report())[0] == 250
    forwarded = wait_for(lambda: QueueRecipient.objects.filter(kind="remote").first(), what="the rule's forward")
    assert forwarded.message.mail_from == ""  # RFC 5321 §4.5.5: never made non-null
    assert Message.objects.filter(account=alice).exists()  # the rule forwards a copy
    deliver_due_remote()
    forwarded.refresh_from_db()
    assert forwarded.status == QueueRecipient.Status.FAILED
    assert not QueuedMessage.objects.filter(source=QueuedMessage.Source.BOUNCE).exists()


def test_rfc3464_2_a_failure_of_real_sender_mail_does_bounce(alice, mx):
    """The control of the test above: the same failure with a real sender makes a DSN."""
    set_forward("alice@example.test", ["alice@elsewhere.example"], keep_copy=False)
    assert send(mx, "<carol@example.net>", report(sender="carol@example.net"))[0] == 250
    forwarded = wait_for(lambda: QueueRecipient.objects.filter(kind="remote").first(), what="the forwarded copy")
    assert forwarded.message.mail_from.startswith("SRS0=")
    deliver_due_remote()
    dsn = QueuedMessage.objects.get(source=QueuedMessage.Source.BOUNCE)
    assert dsn.mail_from == ""  # RFC 5321 §4.5.5: the DSN itself from <>


def test_rfc5321_4_5_5_a_bounce_to_an_srs_address_is_returned_with_the_null_path(alice, mx):
    """The bounce of mail we forwarded comes back from <> to our SRS address: it must be
    accepted (it is why SRS exists) and sent on to the original sender, still from <>."""
    srs_address = forward_sender("carol@example.net")
    assert send(mx, "<>", report().replace("alice@example.test", srs_address),
                recipient=f"<{srs_address}>")[0] == 250
    back = QueueRecipient.objects.get()
    assert (back.kind, back.address) == ("remote", "carol@example.net")
    assert back.message.mail_from == ""
