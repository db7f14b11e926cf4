"""Postmaster: RFC 5321 §4.5.1 and RFC 2142 §4, over the MX with smtplib.

`RCPT TO:<Postmaster>` (no domain, any case) and postmaster@ every hosted domain are
accepted even with no such account or alias, and go to the configured postmaster
mailbox (directory/postmaster.py); greylisting and the spam score never refuse them.
"""
from email.message import EmailMessage

import pytest

from mailcore.directory.services import create_account, create_alias
from mailcore.filters.models import FilterPolicy
from mailcore.store.fetch import fetch_raw
from mailcore.store.models import Message
from tests.mailcore.filters.conftest import spammy_message

from .conftest import PASSWORD, wait_for


def report(subject="Your server refuses our bounces"):
    mail = EmailMessage()
    mail["From"] = "admin@example.net"
    mail["To"] = "postmaster"
    mail["Subject"] = subject
    mail.set_content("Please have a look.\n")
    return mail.as_string()


def inbox(account):
    return Message.objects.filter(account=account, folder__name="INBOX").order_by("uid")


def send(mx, recipient, content=None, sender="<admin@example.net>"):
    mx.ehlo("mail.example.net")
    assert mx.mail(sender)[0] == 250
    code, reply = mx.rcpt(recipient)
    assert (code, reply) == (250, b"2.1.5 OK"), recipient
    assert mx.data(content or report(recipient))[0] == 250


@pytest.mark.parametrize("recipient", ["<Postmaster>", "<postmaster>", "<POSTMASTER>", "<PostMaster>"])
def test_rfc5321_4_5_1_postmaster_without_a_domain_is_accepted_in_any_case(alice, mx, recipient):
    send(mx, recipient)
    stored = wait_for(lambda: inbox(alice).first(), what="delivery to the postmaster mailbox")
    assert stored.subject == recipient
    assert fetch_raw(stored).startswith(b"Return-Path: <admin@example.net>\r\nDelivered-To: alice@example.test\r\n")


@pytest.mark.parametrize("recipient", ["<postmaster@example.test>", "<Postmaster@EXAMPLE.test>"])
def test_rfc5321_4_5_1_postmaster_at_a_hosted_domain_is_accepted_without_an_account(alice, mx, recipient):
    send(mx, recipient)
    assert wait_for(lambda: inbox(alice).first(), what="delivery").subject == recipient


def test_rfc5321_4_5_1_postmaster_goes_to_hopthu_postmaster(alice, bob, mx, settings):
    settings.HOPTHU_POSTMASTER = "bob@example.test"
    send(mx, "<Postmaster>")
    assert wait_for(lambda: inbox(bob).first(), what="delivery to HOPTHU_POSTMASTER").subject == "<Postmaster>"
    assert not inbox(alice).exists()


def test_rfc5321_4_5_1_postmaster_defaults_to_the_superusers_mailbox(alice, bob, mx):
    bob.user.is_superuser = True
    bob.user.save()
    send(mx, "<postmaster@example.test>")
    assert wait_for(lambda: inbox(bob).first(), what="delivery to the superuser").subject
    assert not inbox(alice).exists()


def test_rfc5321_4_5_1_an_account_called_postmaster_takes_its_own_mail(alice, mx):
    postmaster = create_account("postmaster@example.test", PASSWORD)
    send(mx, "<POSTMASTER>")
    assert wait_for(lambda: inbox(postmaster).first(), what="delivery").subject == "<POSTMASTER>"
    assert not inbox(alice).exists()


def test_rfc2142_4_a_postmaster_alias_is_followed(alice, bob, mx):
    create_alias("postmaster@example.test", ["bob@example.test"])
    send(mx, "<postmaster@example.test>")
    assert wait_for(lambda: inbox(bob).first(), what="delivery through the alias")
    assert not inbox(alice).exists()


def test_rfc5321_4_5_1_postmaster_of_another_hosted_domain_goes_to_its_own_account(alice, charlie, mx):
    send(mx, "<postmaster@example.org>")
    assert wait_for(lambda: inbox(charlie).first(), what="delivery to example.org's account")
    assert not inbox(alice).exists()


def test_rfc5321_4_5_1_other_unknown_local_parts_are_still_refused(alice, mx):
    mx.ehlo("mail.example.net")
    mx.mail("<admin@example.net>")
    assert mx.rcpt("<hostmaster@example.test>")[0] == 550
    assert mx.rcpt("<nobody>")[0] == 553  # only Postmaster may come without a domain


def test_rfc5321_4_5_1_postmaster_is_never_greylisted(alice, mx):
    FilterPolicy.objects.create(domain=alice.domain, greylisting=True)
    mx.ehlo("mail.example.net")
    mx.mail("<admin@example.net>")
    assert mx.rcpt("<alice@example.test>")[0] == 451  # the control: greylisting is on
    assert mx.rcpt("<Postmaster>")[0] == 250


def test_rfc5321_4_5_1_postmaster_is_never_refused_as_spam(alice, mx):
    mx.ehlo("mx.example.test")  # claims to be us: with the spammy signs, past the refusal score
    mx.mail("<bob@example.net>")
    mx.rcpt("<alice@example.test>")
    assert mx.data(spammy_message())[0] == 554  # the control
    mx.mail("<bob@example.net>")
    assert mx.rcpt("<postmaster@example.test>")[0] == 250
    assert mx.data(spammy_message(to="postmaster@example.test"))[0] == 250
    stored = wait_for(lambda: Message.objects.filter(account=alice).first(), what="delivery")
    assert b"X-Spam-Flag: YES" in fetch_raw(stored)


def test_rfc5321_4_5_1_without_any_mailbox_postmaster_is_a_temporary_failure(domain, mx):
    mx.ehlo("mail.example.net")
    mx.mail("<admin@example.net>")
    code, reply = mx.rcpt("<Postmaster>")
    assert (code, reply[:5]) == (451, b"4.3.5")  # retried once an account exists; never lost


def test_rfc5321_4_5_1_postmaster_is_never_refused_for_dmarc(alice, mx, dns_server):
    dns_server.add_txt("example.net", "v=spf1 ip4:192.0.2.0/24 -all")
    dns_server.add_txt("_dmarc.example.net", "v=DMARC1; p=reject")
    forged = report("Forged").replace("From: admin@example.net", "From: Bank <service@example.net>")
    mx.ehlo("mail.example.net")
    mx.mail("<bounce@example.net>")
    mx.rcpt("<alice@example.test>")
    assert mx.data(forged)[0] == 550  # the control: p=reject is honoured for alice
    mx.mail("<bounce@example.net>")
    mx.rcpt("<postmaster@example.test>")
    assert mx.data(forged)[0] == 250
    stored = wait_for(lambda: Message.objects.filter(account=alice).first(), what="delivery")
    assert b"dmarc=fail (p=reject" in fetch_raw(stored)


def test_rfc5321_4_5_1_postmaster_at_a_domain_alias_is_accepted(alice, mx):
    from mailcore.directory.services import create_domain_alias

    create_domain_alias("example.vn", "example.test")
    send(mx, "<POSTMASTER@example.vn>")
    assert wait_for(lambda: inbox(alice).first(), what="delivery").subject == "<POSTMASTER@example.vn>"
