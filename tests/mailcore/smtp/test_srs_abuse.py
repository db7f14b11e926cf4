"""Forwarding and SRS abuse, reproduced from outside with smtplib (docs/security.md,
"Forwarding and SRS"): spoofs laundered by forwards, SRS addresses relaying anything,
and guessing SRS addresses one RCPT at a time."""
import re
import smtplib
import time
from datetime import timedelta

import pytest

from mailcore.delivery import srs
from mailcore.delivery.models import QueueRecipient
from mailcore.directory.services import set_forward

from .conftest import wait_for
from .test_mx_delivery import message


@pytest.fixture
def tarpit(settings):
    settings.HOPTHU_SMTP_MAX_REFUSED_RCPTS = 10
    settings.HOPTHU_SMTP_TARPIT_SECONDS = 0.1
    settings.HOPTHU_SMTP_TARPIT_MAX_SECONDS = 0.3
    return settings


def connect(mail_host):
    client = smtplib.SMTP("127.0.0.1", mail_host.ports["smtp"], timeout=10)
    client.ehlo("guesser.example.net")
    return client


def guess(n: int) -> str:
    """An SRS0 address of ours with a made-up hash (today's stamp, so only the hash is wrong)."""
    stamp = srs.forward_sender("x@example.net").split("=")[2]
    return f"SRS0={n:08d}={stamp}=example.net=victim@mx.example.test".replace("0", "A").replace("1", "B")


def test_a_spoofed_hosted_sender_is_srs_rewritten_when_forwarded(alice, mx):
    # Anyone may say MAIL FROM:<ceo@example.test> on the MX; leaving our IP with it, the
    # forward would pass SPF (and align for DMARC) at the next hop.
    set_forward("alice@example.test", ["alice@elsewhere.net"], keep_copy=False)
    assert mx.send_message(message(sender="ceo@example.test"), "ceo@example.test", ["alice@example.test"]) == {}
    remote = wait_for(lambda: QueueRecipient.objects.filter(kind="remote").first(), what="the forwarded copy")
    assert re.fullmatch(r"SRS0=[A-Z2-7]{8}=[A-Z2-7]{2}=example\.test=ceo@mx\.example\.test", remote.message.mail_from)
    assert srs.reverse(remote.message.mail_from) == "ceo@example.test"


def test_a_forwarded_bounce_keeps_the_null_sender(alice, mx):
    set_forward("alice@example.test", ["alice@elsewhere.net"], keep_copy=False)
    assert mx.send_message(message(sender="MAILER-DAEMON@example.net"), "<>", ["alice@example.test"]) == {}
    remote = wait_for(lambda: QueueRecipient.objects.filter(kind="remote").first(), what="the forwarded copy")
    assert remote.message.mail_from == ""


def test_an_srs_address_refuses_mail_that_is_not_a_bounce(alice, mx):
    # Otherwise a harvested SRS address relays anything to its original sender for 21 days.
    address = srs.forward_sender("carol@example.net")
    mx.ehlo()
    assert mx.mail("spammer@example.net")[0] == 250
    code, text = mx.rcpt(address)
    assert (code, text[:5]) == (550, b"5.7.1")
    mx.rset()
    assert mx.mail("<>")[0] == 250
    assert mx.rcpt(address)[0] == 250


def test_an_srs_hash_is_eight_characters_and_old_four_character_ones_are_refused(alice, mx):
    address = srs.forward_sender("carol@example.net")
    _srs0, hash_, stamp, domain, local = address.rpartition("@")[0].split("=", 4)
    assert len(hash_) == 8
    mx.ehlo()
    mx.mail("<>")
    assert mx.rcpt(f"SRS0={hash_[:4]}={stamp}={domain}={local}@mx.example.test")[0] == 554  # relay access denied


def test_an_srs_hash_does_not_survive_shifting_characters_between_fields(alice, mx):
    # "example.net" + "carol" == "example.ne" + "tcarol": a hash over the bare concatenation
    # would sign the shifted address too, and bounce at a recipient of the attacker's choice.
    address = srs.forward_sender("carol@example.net")
    _srs0, hash_, stamp, _domain, _local = address.rpartition("@")[0].split("=", 4)
    shifted = f"SRS0={hash_}={stamp}=example.ne=tcarol@mx.example.test"
    assert srs.reverse(shifted) is None
    mx.ehlo()
    mx.mail("<>")
    assert mx.rcpt(shifted)[0] == 554


def test_guessed_srs_addresses_are_slowed_then_the_session_is_closed(alice, mail_host, tarpit):
    client = connect(mail_host)
    client.mail("<>")
    for n in range(10):
        assert client.rcpt(guess(n))[0] == 554
    started = time.monotonic()
    assert client.rcpt(guess(10))[0] == 554  # the 11th refusal: slowed
    assert time.monotonic() - started >= 0.1
    for n in range(11, 20):
        started = time.monotonic()
        assert client.rcpt(guess(n))[0] == 554
        assert time.monotonic() - started >= 0.1
    code, text = client.rcpt(guess(20))  # the 21st: the end
    assert (code, text[:5]) == (421, b"4.7.0")
    with pytest.raises(smtplib.SMTPServerDisconnected):
        client.noop()
        client.noop()


def test_a_guesser_that_reconnects_keeps_its_count(alice, mail_host, tarpit):
    first = connect(mail_host)
    first.mail("<>")
    for n in range(10):
        assert first.rcpt(guess(n))[0] == 554
    first.quit()
    second = connect(mail_host)
    second.mail("<>")
    started = time.monotonic()
    assert second.rcpt(guess(10))[0] == 554  # the 11th refusal from this address, not the 1st
    assert time.monotonic() - started >= 0.1
    for n in range(11, 20):
        second.rcpt(guess(n))
    assert second.rcpt(guess(20))[0] == 421
    third = connect(mail_host)
    third.mail("<>")
    assert third.rcpt(guess(21))[0] == 421  # closed at once: still counted


def test_refused_recipients_below_the_limit_are_answered_at_once(alice, mail_host, tarpit):
    tarpit.HOPTHU_SMTP_TARPIT_SECONDS = tarpit.HOPTHU_SMTP_TARPIT_MAX_SECONDS = 3
    client = connect(mail_host)
    client.mail("someone@example.net")
    started = time.monotonic()
    for n in range(10):
        assert client.rcpt(f"nobody{n}@example.test")[0] == 550
    assert time.monotonic() - started < 3  # no tarpit yet: one slowed reply would take 3 s
    assert client.rcpt("alice@example.test")[0] == 250
    client.quit()


@pytest.fixture
def forward_rate(settings):
    settings.HOPTHU_FORWARD_RATE_PER_HOUR = 2
    return settings


def test_a_forward_flood_is_deferred_past_the_rate_and_the_local_copies_kept(forward_rate, alice, mx):
    # A flood at a forwarding mailbox must not leave our IPs at the flood's pace.
    from django.utils import timezone

    from mailcore.store.models import Message

    set_forward("alice@example.test", ["alice@elsewhere.net"], keep_copy=True)
    for n in range(5):
        assert mx.send_message(message(subject=f"flood {n}"), "bob@example.net", ["alice@example.test"]) == {}
    wait_for(lambda: QueueRecipient.objects.filter(kind="remote").count() == 5, what="five forwarded copies")
    assert Message.objects.filter(account=alice, folder__name="INBOX").count() == 5  # every local copy
    soon = timezone.now() + timedelta(minutes=5)
    copies = QueueRecipient.objects.filter(kind="remote")
    assert copies.filter(next_attempt__lte=soon).count() == 2
    deferred = copies.filter(status="deferred", next_attempt__gt=soon + timedelta(minutes=50))
    assert deferred.count() == 3
    assert "forwarding rate" in deferred.first().last_result
