"""Search results in Chromium, desktop (1366×800) and phone (390×844): results from two
folders show their folder, and two selected results move with the folder list's Move to menu."""
import re

import pytest

from mailcore.store.append import append
from mailcore.store.folders import create_folder
from mailcore.store.models import Message
from tests.browser.conftest import sign_in
from tests.browser.screenshots import DESKTOP, PHONE, screenshot
from tests.webmail.mailbox.conftest import make_raw

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def result(page, subject):
    exact = page.locator(".subject-text", has_text=re.compile(f"^{re.escape(subject)}$"))
    return page.locator("table.messages tbody tr", has=exact)


@pytest.mark.parametrize(("viewport", "name"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_two_results_from_two_folders_are_selected_and_moved(page, alice, viewport, name):
    create_folder(alice.pk, "Hóa đơn")
    append(alice.pk, "INBOX", make_raw(subject="Hóa đơn điện tháng 11", body="Số tiền: 512.000 đ"))
    append(alice.pk, "Archive", make_raw(subject="Hóa đơn nước tháng 10", body="Số tiền: 98.000 đ"))
    append(alice.pk, "INBOX", make_raw(subject="Lunch on Friday?", body="hoa don? no, lunch"))
    page.set_viewport_size(viewport)
    sign_in(page, "alice@example.test")
    page.goto("/mail/search/?q=h%C3%B3a+%C4%91%C6%A1n+subject%3Ah%C3%B3a")

    electricity, water = result(page, "Hóa đơn điện tháng 11"), result(page, "Hóa đơn nước tháng 10")
    assert electricity.locator("td.folder .folder-name").inner_text().strip() == "Inbox"
    assert water.locator("td.folder .folder-name").inner_text().strip() == "Archive"
    assert electricity.locator("td.folder").is_visible()
    if name == "phone":  # the folder is the card's last line, under the subject
        folder = electricity.locator("td.folder").bounding_box()
        subject = electricity.locator(".subject-text").bounding_box()
        assert folder["y"] >= subject["y"] + subject["height"] - 2
    else:
        assert page.locator("table.messages th.folder").is_visible()
    assert page.evaluate("() => document.scrollingElement.scrollWidth <= window.innerWidth")

    electricity.locator("td.select input").check()
    water.locator("td.select input").check()
    assert page.locator("table.messages tr.selected").count() == 2
    screenshot(page, f"webmail-search-{name}", full_page=False)
    page.click("#bulk details.menu:has(button[name=move_to]) > summary")
    page.click("#bulk button[name=move_to]:has-text('Hóa đơn')")
    page.wait_for_selector("text=2 messages moved.")
    assert "/mail/search/" in page.url
    moved = Message.objects.filter(folder__name="Hóa đơn", account=alice)
    assert sorted(moved.values_list("subject", flat=True)) == ["Hóa đơn nước tháng 10", "Hóa đơn điện tháng 11"]
    assert Message.objects.get(subject="Lunch on Friday?").folder.name == "INBOX"
    # The results now show both in their new folder: one folder, so no Folder column.
    assert page.locator("table.messages td.folder").count() == 0
    assert result(page, "Hóa đơn điện tháng 11").count() == 1
    assert page.errors == [] and page.csp_reports == []
