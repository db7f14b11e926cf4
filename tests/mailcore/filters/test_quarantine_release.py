"""release() delivers the original bytes, once, to the held recipients in scope."""
import hashlib

from mailcore.delivery.local import deliver_due_local
from mailcore.delivery.models import QueuedMessage, QueueRecipient
from mailcore.directory.services import create_alias
from mailcore.filters.models import QuarantinedMessage
from mailcore.filters.quarantine import hold, release
from mailcore.store import blobs
from mailcore.store.models import Message

RAW = (b"From: x@example.net\r\nTo: team@example.test\r\nSubject: report\r\nMessage-ID: <q1@example.net>\r\n"
       b"\r\nbody with an attachment someone feared\r\n")


def _hold(recipients):
    return hold(RAW, mail_from="x@example.net", recipients=recipients, kind="policy", reason="blocked .exe",
                client_ip="192.0.2.1", helo="mx.example.net")


def _inbox_bodies(account):
    return [blobs.read(m.blob.digest) for m in Message.objects.filter(account=account, folder__name="INBOX")
            .select_related("blob")]


def test_released_mail_reaches_the_inbox_byte_for_byte(alice):
    message = _hold([alice.address])
    assert release(message, None)
    deliver_due_local()
    assert _inbox_bodies(alice) == [RAW]
    stored = Message.objects.get(account=alice)
    assert stored.blob.digest == hashlib.sha256(RAW).hexdigest()


def test_it_is_queued_with_the_original_envelope(alice):
    release(_hold([alice.address]), None)
    queued = QueuedMessage.objects.get()
    assert (queued.mail_from, queued.client_ip, queued.helo) == ("x@example.net", "192.0.2.1", "mx.example.net")
    assert list(queued.recipients.values_list("address", flat=True)) == [alice.address]


def test_a_released_message_is_marked_and_kept(alice):
    message = _hold([alice.address])
    release(message, None)
    message.refresh_from_db()
    assert message.status == QuarantinedMessage.Status.RELEASED and message.decided_at is not None


def test_releasing_twice_delivers_once(alice):
    message = _hold([alice.address])
    assert release(message, None)
    assert not release(message, None)
    deliver_due_local()
    assert QueueRecipient.objects.count() == 1 and len(_inbox_bodies(alice)) == 1


def test_a_user_releases_only_their_own_copy(alice, bob):
    create_alias("team@example.test", [alice.address, bob.address])
    message = _hold(["team@example.test"])
    assert release(message, None, account=alice)
    deliver_due_local()
    assert _inbox_bodies(alice) == [RAW] and _inbox_bodies(bob) == []
    message.refresh_from_db()
    assert message.status == QuarantinedMessage.Status.HELD
    assert list(message.recipients.values_list("account_id", flat=True)) == [bob.pk]
    assert not release(message, None, account=alice)  # nothing of alice's left


def test_the_last_copy_released_settles_the_message(alice, bob):
    message = _hold([alice.address, bob.address])
    release(message, None, account=alice)
    release(message, None, account=bob)
    message.refresh_from_db()
    assert message.status == QuarantinedMessage.Status.RELEASED


def test_a_domain_scope_releases_that_domains_recipients_only(alice, charlie):
    message = _hold([alice.address, charlie.address])
    assert release(message, None, domains=["example.org"])
    assert list(QueueRecipient.objects.values_list("address", flat=True)) == [charlie.address]
    assert not release(message, None, domains=["example.net"])


def test_an_alias_recipient_is_released_once_to_the_alias(alice, bob):
    create_alias("team@example.test", [alice.address, bob.address])
    release(_hold(["team@example.test"]), None)
    assert list(QueueRecipient.objects.values_list("address", flat=True)) == ["team@example.test"]
    deliver_due_local()
    assert _inbox_bodies(alice) == [RAW] and _inbox_bodies(bob) == [RAW]
