"""The filter stage and the rules hook of local delivery."""
from email.message import EmailMessage

import pytest

from mailcore.delivery.models import QueueRecipient
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
