"""End to end: an .exe over SMTP is held (250, not delivered), released from quarantine, and
reaches the Inbox with the bytes that were held."""
from mailcore.filters.models import FilterPolicy, QuarantinedMessage
from mailcore.filters.quarantine import release
from mailcore.store import blobs
from mailcore.store.models import Message
from tests.mailcore.filters.conftest import clean_message, send_raw
from tests.mailcore.smtp.conftest import wait_for


def _with_exe():
    mail = clean_message(subject="The invoice")
    mail.add_attachment(b"MZ\x90\x00program", maintype="application", subtype="octet-stream",
                        filename="invoice.pdf.exe")
    return mail.as_bytes()


def test_a_held_exe_is_released_unchanged_to_the_inbox(alice, domain, mail_host):
    FilterPolicy.objects.create(domain=domain, attachment_action="quarantine")
    _replies, (code, text) = send_raw(mail_host.ports["smtp"], _with_exe())
    assert code == 250, text
    held = QuarantinedMessage.objects.get()
    assert held.kind == "policy" and "invoice.pdf.exe" in held.reason
    assert list(held.recipients.values_list("account_id", flat=True)) == [alice.pk]
    assert not Message.objects.filter(account=alice).exists()

    assert release(held, None)
    stored = wait_for(lambda: Message.objects.filter(account=alice).select_related("blob", "folder").first(),
                      what="the released message")
    assert stored.folder.name == "INBOX"
    assert blobs.read(stored.blob.digest) == blobs.read(held.blob.digest)
    assert QuarantinedMessage.objects.get().status == "released"
    # Held as it would have been queued: our trace field on top (RFC 5321 §4.4), then the
    # Authentication-Results the MX added.
    first, second = blobs.read(held.blob.digest).split(b"\r\n", 2)[:2]
    assert first.startswith(b"Received: from ") and b"by mx.example.test" in first + second


def test_with_the_default_policy_an_exe_is_refused_and_nothing_is_held(alice, mail_host):
    _replies, (code, text) = send_raw(mail_host.ports["smtp"], _with_exe())
    assert code == 554 and b"invoice.pdf.exe" in text
    assert not QuarantinedMessage.objects.exists()
