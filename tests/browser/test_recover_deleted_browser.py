"""A user recovers a deleted message in Chromium (issue 19 "Done when"): delete it from the
Inbox, empty the Trash, then Settings → Recover deleted messages puts it back, with a new
UID, into Trash (where it was deleted from for good), at 1366×800 and 390×844."""
import pytest

from mailcore.store.append import append
from mailcore.store.models import Folder, Message, RecoverableMessage
from tests.browser.screenshots import DESKTOP, PHONE, screenshot, scrolls_sideways
from tests.webmail.mailbox.conftest import make_raw

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("size", "suffix"), [(DESKTOP, ""), (PHONE, "-phone")])
def test_a_user_recovers_a_message_deleted_for_good(alice_page, alice, size, suffix):
    page = alice_page
    page.set_viewport_size(size)
    append(alice.pk, "INBOX", make_raw(subject="Minutes of the board meeting", sender="Chi <chi@example.net>"))
    append(alice.pk, "INBOX", make_raw(subject="Lunch on Friday"))
    inbox = Folder.objects.get(account=alice, name="INBOX")
    trash = Folder.objects.get(account=alice, special_use="\\Trash")

    page.goto(f"/mail/folder/{inbox.pk}/")
    page.check("tr:has-text('Minutes of the board meeting') input[type=checkbox]")
    page.click("button[value=delete]")
    page.wait_for_selector("text=1 message deleted.")
    page.goto(f"/mail/folder/{trash.pk}/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button[value=empty]")
    page.wait_for_selector("text=1 message deleted.")
    assert not Message.objects.filter(account=alice, subject="Minutes of the board meeting").exists()
    old_uid = trash.uidnext  # the UID it had in Trash was below this

    page.goto("/mail/settings/")
    page.click(".settings-nav >> text=Recover deleted messages")
    page.wait_for_url("**/mail/settings/deleted-mail/")
    page.fill("#deleted-q", "board")
    page.press("#deleted-q", "Enter")
    page.wait_for_url(lambda url: url.endswith("/deleted-mail/?q=board"))
    assert "Lunch on Friday" not in page.inner_text("main")
    page.check("tr:has-text('Minutes of the board meeting') input[type=checkbox]")
    screenshot(page, f"webmail-recover-deleted{suffix}")
    assert not scrolls_sideways(page)
    page.click("main button:text-is('Recover')")
    page.wait_for_selector("text=1 message was recovered.")
    assert not RecoverableMessage.objects.filter(account=alice).exists()

    back = Message.objects.get(account=alice, subject="Minutes of the board meeting")
    assert back.folder_id == trash.pk and back.uid >= old_uid
    page.goto(f"/mail/folder/{trash.pk}/")
    page.wait_for_selector("text=Minutes of the board meeting")
    screenshot(page, f"webmail-recovered-in-trash{suffix}")
    assert page.errors == [] and page.csp_reports == []
