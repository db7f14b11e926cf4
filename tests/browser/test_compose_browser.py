"""Compose in Chromium: attachments reach the recipient over IMAP, reply from the
reading page, scheduled send, undo send, and the keyboard autocomplete."""
import datetime as dt
import email
import email.policy
import re

import pytest
from django.utils import timezone
from imapclient import IMAPClient
from playwright.sync_api import expect

from mailcore import contacts
from mailcore.delivery.local import deliver_due_local
from mailcore.delivery.models import QueuedMessage, ScheduledMessage
from mailcore.imap.listeners import FACTORIES
from mailcore.smtp import scheduled
from mailcore.store import blobs
from mailcore.store.append import append
from mailcore.store.models import Message
from tests.conftest import PASSWORD
from tests.support.hosts import running_host, tls_context
from webmail.models import preferences_for

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ATTACHMENT = bytes(range(256)) * 40  # binary, 10 KB


def set_undo(account, seconds):
    preferences = preferences_for(account)
    preferences.undo_send_seconds = seconds
    preferences.save()


def queued_message():
    row = QueuedMessage.objects.select_related("blob").get()
    return email.message_from_bytes(blobs.read(row.blob.digest), policy=email.policy.default)


def test_an_attachment_sent_from_the_browser_arrives_over_imap(alice_page, alice, bob, settings, tmp_path):
    set_undo(alice, 0)
    page = alice_page
    attachment = tmp_path / "Báo cáo.bin"
    attachment.write_bytes(ATTACHMENT)
    page.goto("/mail/compose/")
    page.fill("input[name=to]", "bob@example.test")
    page.fill("input[name=subject]", "Báo cáo quý")
    page.fill("textarea[name=body]", "Here it is.")
    page.set_input_files("input[name=attachments]", str(attachment))
    assert "Báo cáo.bin" in page.locator("[data-chosen]").inner_text()
    page.click("button[value=send]")
    page.wait_for_url("**/mail/**")
    assert "Your message was sent." in page.locator(".wm-notices").inner_text()
    assert deliver_due_local() == 1
    with running_host(settings, tmp_path, FACTORIES, ("imaps",)) as host, \
            IMAPClient("127.0.0.1", port=host.ports["imaps"], ssl=True, ssl_context=tls_context(), timeout=10) as imap:
        imap.login("bob@example.test", PASSWORD)
        imap.select_folder("INBOX")
        (uid,) = imap.search(["SUBJECT", "quý"], charset="UTF-8")
        raw = imap.fetch([uid], ["RFC822"])[uid][b"RFC822"]
    received = email.message_from_bytes(raw, policy=email.policy.default)
    assert received["Subject"] == "Báo cáo quý"
    (part,) = received.iter_attachments()
    assert part.get_filename() == "Báo cáo.bin"
    assert part.get_payload(decode=True) == ATTACHMENT
    assert page.errors == []


def test_reply_from_the_reading_page(alice_page, alice, bob):
    set_undo(alice, 0)
    appended = append(alice.pk, "INBOX", b"From: Bob <bob@example.test>\r\nTo: alice@example.test\r\n"
                      b"Subject: Lunch?\r\nMessage-ID: <lunch@example.test>\r\n"
                      b"Date: Tue, 03 Nov 2026 09:15:00 +0000\r\n\r\nNoon at the usual place?\r\n")
    page = alice_page
    page.goto(f"/mail/folder/{appended.folder_id}/{appended.uid}/")
    page.get_by_role("link", name="Reply", exact=True).click()
    page.wait_for_url("**/reply/")
    assert page.input_value("input[name=to]") == "Bob <bob@example.test>"
    assert page.input_value("input[name=subject]") == "Re: Lunch?"
    assert "> Noon at the usual place?" in page.input_value("textarea[name=body]")
    page.locator("textarea[name=body]").press("Control+Home")
    page.locator("textarea[name=body]").type("Yes!")
    page.click("button[value=send]")
    page.wait_for_url("**/mail/**")
    sent = queued_message()
    assert sent["In-Reply-To"] == "<lunch@example.test>"
    assert sent.get_body(("plain",)).get_content().startswith("Yes!")
    assert Message.objects.get(folder_id=appended.folder_id, uid=appended.uid).answered
    assert page.errors == []


def test_a_scheduled_send_leaves_when_due(alice_page, alice, bob):
    page = alice_page
    send_at = (timezone.now() + dt.timedelta(minutes=2)).replace(second=0, microsecond=0)
    page.goto("/mail/compose/")
    page.fill("input[name=to]", "bob@example.test")
    page.fill("input[name=subject]", "Later")
    page.click("summary")  # "Send later"
    page.fill("input[name=send_at]", timezone.localtime(send_at, dt.UTC).strftime("%Y-%m-%dT%H:%M"))
    page.click("button[value=send_later]")
    page.wait_for_url("**/mail/scheduled/")
    assert "Later" in page.locator("table.scheduled").inner_text()
    assert scheduled.send_due() == 0  # not yet: nothing leaves early
    assert scheduled.send_due(send_at + dt.timedelta(seconds=1)) == 1  # beat's task body, after the time
    assert deliver_due_local() == 1
    assert Message.objects.filter(account=bob, folder__name="INBOX", subject="Later").exists()
    page.reload()
    assert page.locator("table.scheduled").count() == 0
    assert page.errors == []


def test_undo_send_brings_the_draft_back(alice_page, alice, bob):
    set_undo(alice, 30)
    page = alice_page
    page.goto("/mail/compose/")
    page.fill("input[name=to]", "bob@example.test")
    page.fill("input[name=subject]", "Oops")
    page.fill("textarea[name=body]", "Sent too soon.")
    page.click("button[value=send]")
    page.get_by_role("button", name="Undo").click()
    page.wait_for_url("**/mail/compose/draft/**")
    assert page.input_value("input[name=subject]") == "Oops"
    assert page.input_value("input[name=to]") == "bob@example.test"
    assert "Sent too soon." in page.input_value("textarea[name=body]")
    assert not ScheduledMessage.objects.exists() and not QueuedMessage.objects.exists()
    assert page.errors == []


def test_autocomplete_works_from_the_keyboard(alice_page, alice):
    contacts.remember(alice.pk, [("Carol King", "carol@example.net"), ("", "dan@example.net")], sent=True)
    page = alice_page
    page.goto("/mail/compose/")
    page.locator("input[name=cc]").type("car")
    option = page.get_by_role("option", name="Carol King <carol@example.net>")
    option.wait_for()
    page.keyboard.press("ArrowDown")
    assert option.get_attribute("aria-selected") == "true"
    page.keyboard.press("Enter")
    assert page.input_value("input[name=cc]") == '"Carol King" <carol@example.net>, '
    assert page.get_by_role("listbox").count() == 0 or not page.get_by_role("listbox").is_visible()
    assert page.errors == []


def test_rich_text_and_autosave(alice_page, alice):
    page = alice_page
    page.goto("/mail/compose/")
    page.fill("input[name=subject]", "Formatted")
    page.click("[data-rich-toggle]")
    editor = page.locator("[data-editor]")
    editor.click()
    page.click("button[data-command=bold]")
    page.keyboard.type("important")
    expect(page.locator("input[name=draft_uid]")).to_have_value(re.compile(r"^[0-9]+$"), timeout=10_000)
    draft = Message.objects.get(account=alice, folder__special_use="\\Drafts")
    assert draft.subject == "Formatted" and draft.draft
    page.goto(f"/mail/compose/draft/{draft.uid}/")
    assert page.locator("[data-editor] b").inner_text() == "important"
    assert page.errors == []


def test_files_over_the_limit_are_refused_before_upload(alice_page, alice, settings, tmp_path):
    settings.HOPTHU_MAX_MESSAGE_SIZE = 4096
    big = tmp_path / "big.bin"
    big.write_bytes(b"x" * 5000)
    page = alice_page
    page.goto("/mail/compose/")
    assert "At most 4" in page.locator("#attachments-help").inner_text()
    page.fill("input[name=to]", "carol@example.net")
    page.locator("input[name=subject]").press("Enter")  # a stray Enter sends nothing
    page.set_input_files("input[name=attachments]", str(big))
    assert "too large" in page.locator("[data-attachment-errors]").inner_text()
    requests = []
    page.on("request", lambda request: requests.append(request) if request.method == "POST" else None)
    page.click("button[value=send]")
    page.wait_for_timeout(500)
    assert requests == [] and "/mail/compose/" in page.url
    assert not QueuedMessage.objects.exists() and not ScheduledMessage.objects.exists()
