"""The filter stage and the rules hook of local delivery."""
import email
from email.message import EmailMessage

import pytest

from mailcore.delivery.models import QueuedMessage, QueueRecipient
from mailcore.store import blobs
from mailcore.store.fetch import fetch_raw
from mailcore.store.models import Message

from .conftest import wait_for

HOOKS = "tests.mailcore.smtp.sample_hooks"


def send(mx, subject):
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = "bob@example.net", "alice@example.test", subject
    mail.set_content("body\n")
    mx.send_message(mail, "bob@example.net", ["alice@example.test"])


def finished():
    return not QueueRecipient.objects.filter(status="queued").exists() and QueueRecipient.objects.exists()


@pytest.fixture
def filters(settings):
    settings.HOPTHU_FILTERS = (f"{HOOKS}.TagEverything", f"{HOOKS}.JunkOrDiscard")


def test_filters_add_headers_to_each_copy(alice, filters, mx):
    send(mx, "hello")
    message = wait_for(lambda: Message.objects.filter(account=alice, folder__name="INBOX").first(), what="delivery")
    assert b"X-Test-Filter: seen\r\n" in fetch_raw(message)


def test_a_junk_verdict_delivers_to_junk(alice, filters, mx):
    send(mx, "cheap pills")
    message = wait_for(lambda: Message.objects.filter(account=alice).first(), what="delivery")
    assert message.folder.name == "Junk"
    assert b"X-Spam-Status: Yes" in fetch_raw(message)


def test_a_discard_verdict_delivers_nothing_and_finishes_the_recipient(alice, filters, mx):
    send(mx, "drop me")
    recipient = wait_for(lambda: QueueRecipient.objects.filter(status="delivered").first(), what="the verdict")
    assert "discarded by a filter: unwanted" in recipient.last_result
    assert not Message.objects.exists()


def test_rule_hooks_choose_the_folder(alice, settings, mx):
    settings.HOPTHU_RULE_HOOKS = (f"{HOOKS}.invoices_to_archive",)
    send(mx, "Invoice 42")
    send(mx, "lunch")
    wait_for(lambda: Message.objects.filter(account=alice).count() == 2, what="delivery")
    folders = dict(Message.objects.filter(account=alice).values_list("subject", "folder__name"))
    assert folders == {"Invoice 42": "Archive", "lunch": "INBOX"}


def test_a_rule_naming_a_missing_folder_falls_back_to_the_inbox(alice, settings, mx):
    settings.HOPTHU_RULE_HOOKS = (f"{HOOKS}.to_a_missing_folder",)
    send(mx, "anything")
    message = wait_for(lambda: Message.objects.filter(account=alice).first(), what="delivery")
    assert message.folder.name == "INBOX"


def test_a_reject_verdict_bounces_to_the_sender_with_a_dsn(alice, filters, mx):
    send(mx, "reject me")
    recipient = wait_for(lambda: QueueRecipient.objects.filter(status="failed").first(), what="the refusal")
    assert recipient.last_result.startswith("550 5.7.1 refused by a filter: policy says no")
    bounce = wait_for(lambda: QueuedMessage.objects.filter(source="bounce").first(), what="the bounce")
    assert bounce.mail_from == "" and list(bounce.recipients.values_list("address", flat=True)) == ["bob@example.net"]
    report = email.message_from_bytes(blobs.read(bounce.blob.digest))
    assert report.get_content_type() == "multipart/report"
    status = next(part for part in report.walk() if part.get_content_type() == "message/delivery-status")
    assert "5.7.1" in status.as_string() and "alice@example.test" in status.as_string()
    assert not Message.objects.exists()


def test_rfc5321_6_1_a_refused_null_sender_message_is_never_bounced(alice, filters, mx):
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = "MAILER-DAEMON@example.net", "alice@example.test", "reject me"
    mail.set_content("a bounce\n")
    mx.send_message(mail, "<>", ["alice@example.test"])
    recipient = wait_for(lambda: QueueRecipient.objects.filter(status="failed").first(), what="the refusal")
    assert recipient.last_result.startswith("550 5.7.1 refused by a filter")
    assert QueuedMessage.objects.count() == 1  # the refused message only: no report on a report
    assert not Message.objects.exists()
