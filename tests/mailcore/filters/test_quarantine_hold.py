"""hold() keeps the body durably with one row per mailbox reached, expiring after quarantine_days."""
from datetime import timedelta

from django.utils import timezone

from mailcore.directory.services import create_alias
from mailcore.filters.models import FilterPolicy, QuarantinedMessage
from mailcore.filters.quarantine import hold
from mailcore.store import blobs

RAW = b"From: x@example.net\r\nSubject: =?UTF-8?Q?h=C3=B3a_=C4=91=C6=A1n?=\r\n\r\nbody\r\n"


def _hold(recipients, **extra):
    return hold(RAW, mail_from="x@example.net", recipients=recipients, kind="virus", reason="Eicar-Signature",
                client_ip="192.0.2.1", helo="mx.example.net", **extra)


def test_the_body_is_stored_as_a_blob(alice):
    message = _hold([alice.address])
    assert blobs.read(message.blob.digest) == RAW
    assert message.size == len(RAW) and message.status == QuarantinedMessage.Status.HELD


def test_the_subject_is_decoded_for_lists(alice):
    assert _hold([alice.address]).subject == "hóa đơn"


def test_each_recipient_is_recorded_with_its_account(alice, bob):
    message = _hold([alice.address, bob.address])
    rows = {(r.address, r.domain, r.account_id) for r in message.recipients.all()}
    assert rows == {(alice.address, "example.test", alice.pk), (bob.address, "example.test", bob.pk)}


def test_an_alias_is_recorded_once_per_mailbox_it_reaches(alice, bob):
    create_alias("team@example.test", [alice.address, bob.address])
    message = _hold(["team@example.test"])
    assert sorted(message.recipients.values_list("account_id", flat=True)) == sorted([alice.pk, bob.pk])


def test_it_expires_after_the_domains_quarantine_days(alice, domain):
    FilterPolicy.objects.create(domain=domain, quarantine_days=3)
    message = _hold([alice.address])
    assert message.expires_at - message.received_at == timedelta(days=3)


def test_without_a_policy_the_default_period_applies(alice):
    message = _hold([alice.address])
    assert message.expires_at - message.received_at == timedelta(days=30)


def test_recipients_in_several_domains_get_the_longest_period(alice, charlie, domain, other_domain):
    FilterPolicy.objects.create(domain=domain, quarantine_days=3)
    FilterPolicy.objects.create(domain=other_domain, quarantine_days=9)
    message = _hold([alice.address, charlie.address])
    assert message.expires_at - message.received_at == timedelta(days=9)


def test_holding_the_same_body_twice_shares_one_blob(alice):
    first, second = _hold([alice.address]), _hold([alice.address])
    assert first.blob_id == second.blob_id and first.pk != second.pk
    assert timezone.now() >= first.received_at
