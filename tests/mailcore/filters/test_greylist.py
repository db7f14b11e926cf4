"""Greylisting (RFC 6647): a new triplet waits, a retry after the delay passes and is remembered."""
import smtplib
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from mailcore.filters import greylist
from mailcore.filters.models import FilterPolicy, GreylistEntry
from mailcore.relay.services import create_network
from mailcore.store.models import Message
from tests.mailcore.smtp.conftest import wait_for

from .conftest import clean_message, crlf

pytestmark = pytest.mark.django_db


@pytest.fixture
def greylisting(domain):
    FilterPolicy.objects.create(domain=domain, greylisting=True)
    return domain


def check(when, ip="192.0.2.10", sender="bob@example.net", recipient="alice@example.test"):
    return greylist.check("example.test", ip, sender, recipient, now=when)


def test_a_first_attempt_is_refused_for_now_and_a_retry_after_the_delay_passes(greylisting):
    start = timezone.now()
    assert check(start).startswith("451 4.7.1 Greylisted")
    assert check(start + timedelta(seconds=60)).startswith("451 4.7.1")  # too early: the clock keeps running
    assert check(start + timedelta(seconds=301)) is None
    assert check(start + timedelta(days=3)) is None  # passed triplets are remembered


def test_the_client_network_not_the_address_makes_the_triplet(greylisting):
    start = timezone.now()
    check(start, ip="192.0.2.10")
    assert check(start + timedelta(seconds=301), ip="192.0.2.200") is None  # the same /24 pool
    assert check(start + timedelta(seconds=301), ip="198.51.100.1") is not None
    check(start, ip="2001:db8:1:2::1")
    assert check(start + timedelta(seconds=301), ip="2001:db8:1:2:ffff::9") is None  # the same /64


def test_each_sender_and_recipient_is_its_own_triplet(greylisting):
    start = timezone.now()
    check(start)
    assert check(start + timedelta(seconds=301), sender="eve@example.net") is not None
    assert check(start + timedelta(seconds=301), recipient="bob@example.test") is not None


def test_a_retry_too_late_starts_over(greylisting):
    start = timezone.now()
    check(start)
    assert check(start + timedelta(days=3)) is not None


def test_a_domain_without_greylisting_is_never_greylisted(domain):
    assert check(timezone.now()) is None
    assert not GreylistEntry.objects.exists()


def test_allowlisted_and_relay_networks_are_never_greylisted(greylisting, settings):
    settings.HOPTHU_GREYLIST_ALLOW_NETWORKS = "192.0.2.0/28, 198.51.100.0/24"
    assert check(timezone.now(), ip="198.51.100.7") is None
    create_network("example.test", "printers", "203.0.113.0/24")
    assert check(timezone.now(), ip="203.0.113.9") is None


def test_expire_forgets_stale_attempts_and_unused_passes(greylisting):
    now = timezone.now()
    check(now - timedelta(days=3), recipient="old@example.test")
    check(now - timedelta(days=40), sender="gone@example.net")
    check(now - timedelta(days=40) + timedelta(seconds=301), sender="gone@example.net")  # passed, then unused
    check(now, recipient="new@example.test")
    assert greylist.expire(now) == 2
    assert GreylistEntry.objects.count() == 1


def test_the_mx_refuses_a_new_triplet_at_rcpt_and_takes_the_retry(alice, mail_host, settings):
    FilterPolicy.objects.create(domain=alice.domain, greylisting=True)
    settings.HOPTHU_GREYLIST_DELAY_SECONDS = 1
    with smtplib.SMTP("127.0.0.1", mail_host.ports["smtp"], timeout=10) as client:
        client.ehlo("mail.example.net")
        client.mail("bob@example.net")
        code, text = client.rcpt("alice@example.test")
        assert code == 451 and text.startswith(b"4.7.1 Greylisted")
        client.rset()
        time.sleep(1.1)
        client.mail("bob@example.net")
        assert client.rcpt("alice@example.test")[0] == 250
        assert client.data(crlf(clean_message().as_bytes()))[0] == 250
    wait_for(lambda: Message.objects.filter(account=alice).exists(), what="delivery after the retry")
