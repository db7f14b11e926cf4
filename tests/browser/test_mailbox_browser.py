"""The message list in Chromium: live updates, keyboard, selection, drag to a folder."""
import re

import pytest

from mailcore.store.append import append
from mailcore.store.models import Folder, Message
from tests.webmail.mailbox.conftest import make_raw

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def put(account, subject, folder="INBOX", flags=()):
    return append(account.pk, folder, make_raw(subject=subject), flags=flags)


def test_new_mail_appears_without_a_reload_and_the_title_counts_it(alice_page, alice):
    page = alice_page
    page.wait_for_selector("text=No messages here.")
    assert not page.title().startswith("(")
    marker = page.evaluate("() => { window.notReloaded = true; return 1; }")
    put(alice, "Fresh news")
    page.wait_for_selector("text=Fresh news", timeout=5_000)
    assert page.evaluate("() => window.notReloaded") == marker
    page.wait_for_function("() => document.title.startsWith('(1) ')", timeout=5_000)
    assert page.locator("[data-unread-for]").first.inner_text() == "1"


def test_keyboard_moves_the_cursor_and_archives(alice_page, alice):
    page = alice_page
    put(alice, "first")
    put(alice, "second")
    page.reload()
    page.keyboard.press("j")
    page.keyboard.press("j")
    assert page.locator("tr.cursor").inner_text().count("first") == 1
    page.keyboard.press("e")
    page.wait_for_selector("text=1 message archived.")
    archive = Folder.objects.get(account=alice, special_use="\\Archive")
    assert list(Message.objects.filter(folder=archive).values_list("subject", flat=True)) == ["first"]


def test_select_many_and_mark_them_read(alice_page, alice):
    page = alice_page
    for n in range(3):
        put(alice, f"note {n}")
    page.reload()
    page.check("[data-select-all]")
    page.click("button[value=read]")
    page.wait_for_selector("text=3 messages marked read.")
    assert not Message.objects.filter(account=alice, seen=False).exists()
    assert page.locator("tr.unread").count() == 0


def test_drag_a_message_onto_a_folder_moves_it(alice_page, alice):
    from mailcore.store.folders import create_folder

    page = alice_page
    work = create_folder(alice.pk, "Work")
    put(alice, "for work")
    page.reload()
    page.drag_and_drop("tr:has-text('for work')", f"[data-drop-folder='{work.pk}']")
    page.wait_for_function("() => !document.body.innerText.includes('for work')", timeout=5_000)
    assert Message.objects.get(subject="for work").folder_id == work.pk


def test_search_with_operators_from_the_box(alice_page, alice):
    page = alice_page
    put(alice, "Hóa đơn tháng 11")
    put(alice, "Lunch", flags=["\\Seen"])
    page.reload()
    page.keyboard.press("/")
    page.keyboard.type("hoa don is:unread")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/mail/search/\?q=.*"))
    assert page.locator("table.messages tbody tr").count() == 1
    assert "Hóa đơn" in page.locator("table.messages").inner_text()


def test_the_list_fits_a_phone(page, alice):
    from tests.browser.conftest import sign_in

    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(page, "alice@example.test")
    put(alice, "small screen")
    page.reload()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    assert not page.locator("#wm-sidebar").is_visible()
    page.click(".wm-menu")
    assert page.locator("#wm-sidebar").is_visible()
