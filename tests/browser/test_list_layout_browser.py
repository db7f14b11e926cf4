"""The message list's layout in Chromium, measured: a desktop (1366×800) list that uses the width,
and a phone (390×844) list of cards. The mailbox is tests/support/sample_mailbox.py: 36 messages,
Vietnamese and English, attachments, flags, an eight-message conversation."""
import re

import pytest

from mailcore.store.append import append
from mailcore.store.models import Message
from tests.browser.conftest import sign_in
from tests.browser.screenshots import DESKTOP, PHONE, screenshot
from tests.support.sample_mailbox import fill
from tests.webmail.mailbox.conftest import make_raw

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

LONG_PREVIEW = "Xin chào chị Alice, " + "đây là một đoạn văn dài để thử phần xem trước của thư. " * 5

NO_SIDEWAYS_SCROLL = "() => document.scrollingElement.scrollWidth <= window.innerWidth"


def open_inbox(page, alice, viewport):
    page.set_viewport_size(viewport)
    mailbox = fill(alice)
    append(alice.pk, "INBOX", make_raw(subject="Báo cáo tuần", body=LONG_PREVIEW))
    sign_in(page, "alice@example.test")
    page.goto(f"/mail/folder/{mailbox.folder_id}/")
    return mailbox


def row(page, subject):
    """The list row whose subject is exactly this."""
    exact = page.locator(".subject-text", has_text=re.compile(f"^{re.escape(subject)}$"))
    return page.locator("table.messages tbody tr", has=exact)


def box(locator):
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not shown"
    return found


def measure(locator, script):
    return locator.evaluate(script)


# --- Desktop --------------------------------------------------------------------------------

def test_the_desktop_list_uses_the_width_and_no_column_is_stuck_at_160_px(page, alice):
    open_inbox(page, alice, DESKTOP)
    page_width = page.evaluate("() => document.documentElement.clientWidth")
    table = box(page.locator("table.messages"))
    assert table["x"] + table["width"] >= page_width - 30  # to the right edge, less the main's padding
    assert table["width"] >= 1050  # 1366 less the folder list: no 960 px column in the middle
    widths = {name: box(page.locator(f"table.messages th.{name}"))["width"] for name in ("from", "subject", "date")}
    assert widths["subject"] >= 480  # the widest column, twice the sender's
    assert 180 <= widths["from"] <= 240 < widths["subject"] / 2 + 10 and widths["date"] < 130
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    assert page.errors == [] and page.csp_reports == []
    screenshot(page, "webmail-list-desktop", full_page=False)


def test_a_subject_that_fits_is_shown_whole_and_the_preview_follows_in_grey(page, alice):
    open_inbox(page, alice, DESKTOP)
    report = row(page, "Báo cáo doanh thu tuần 45")
    subject = report.locator(".subject-text")
    assert subject.inner_text() == "Báo cáo doanh thu tuần 45"
    assert measure(subject, "el => el.scrollWidth <= el.clientWidth")  # not cut at 15 characters
    preview = report.locator(".preview")
    assert box(preview)["width"] > 200
    assert box(preview)["x"] > box(subject)["x"] + box(subject)["width"]  # after the subject, same line
    assert abs(box(preview)["y"] - box(subject)["y"]) < 6
    colour = "el => getComputedStyle(el).color"
    assert measure(preview, colour) == "rgb(87, 96, 106)" != measure(subject, colour)
    long_one = row(page, "Báo cáo tuần").locator(".preview")  # a preview longer than the row: cut with …
    assert measure(long_one, "el => getComputedStyle(el).textOverflow") == "ellipsis"
    assert measure(long_one, "el => el.scrollWidth > el.clientWidth")
    assert box(row(page, "Báo cáo tuần"))["height"] < 50  # still one line


def test_unread_messages_are_bold_and_read_ones_are_not(page, alice):
    open_inbox(page, alice, DESKTOP)
    weight = "el => Number(getComputedStyle(el).fontWeight)"
    unread, read = row(page, "Báo giá máy chủ mới"), row(page, "Your weekly image pull summary")
    assert "unread" in unread.get_attribute("class")
    for cell in (".subject-text", "td.from", "td.date"):
        assert measure(unread.locator(cell), weight) >= 700
        assert measure(read.locator(cell), weight) <= 400
    assert measure(unread.locator(".preview"), weight) <= 400  # the preview stays plain


def test_attachments_and_flags_are_marked_with_svg_icons(page, alice):
    open_inbox(page, alice, DESKTOP)
    with_file = row(page, "Hóa đơn tiền điện tháng 11")
    clip = with_file.locator("td.attach svg.icon-paperclip use")
    assert measure(clip, "el => el.getBBox().width") > 5  # the sprite's symbol was drawn
    star = with_file.locator("button.star")
    assert star.get_attribute("aria-pressed") == "true"
    assert measure(star.locator("svg"), "el => getComputedStyle(el).fill") != "none"
    plain = row(page, "Lunch on Friday?")
    assert plain.locator("td.attach svg").count() == 0
    assert plain.locator("button.star").get_attribute("aria-pressed") == "false"
    text = page.locator("table.messages").inner_text()
    assert not any(char in text for char in "📎★☆⭐"), "marks are icons, not emoji"


def test_the_star_flags_and_unflags_without_leaving_the_list(page, alice):
    open_inbox(page, alice, DESKTOP)
    page.evaluate("() => { window.stayed = true; }")
    star = row(page, "Lunch on Friday?").locator("button.star")
    star.click()
    page.wait_for_function("el => el.getAttribute('aria-pressed') === 'true'", arg=star.element_handle())
    assert Message.objects.get(subject="Lunch on Friday?").flagged
    star.click()
    page.wait_for_function("el => el.getAttribute('aria-pressed') === 'false'", arg=star.element_handle())
    assert not Message.objects.get(subject="Lunch on Friday?").flagged
    page.keyboard.press("j")  # the cursor on the newest message, then s flags it
    page.keyboard.press("s")
    page.wait_for_function("() => document.querySelector('tr.cursor .star').getAttribute('aria-pressed') === 'true'")
    assert Message.objects.get(subject="Báo cáo tuần").flagged
    assert page.evaluate("() => window.stayed") is True  # no page load
    assert page.errors == []


# --- Phone --------------------------------------------------------------------------------

def test_on_a_phone_each_message_is_a_card(page, alice):
    open_inbox(page, alice, PHONE)
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    assert not page.locator("table.messages thead").is_visible()
    rows = page.locator("table.messages tbody tr")
    for index in range(6):
        card = rows.nth(index)
        sender, date = box(card.locator("td.from")), box(card.locator("td.date"))
        subject, preview = box(card.locator(".subject-text")), box(card.locator(".preview"))
        whole = box(card)
        assert whole["x"] >= 0 and whole["x"] + whole["width"] <= PHONE["width"]
        assert abs(sender["y"] - date["y"]) < 8 and date["x"] > sender["x"] + sender["width"] - 1  # one line
        assert subject["y"] >= sender["y"] + sender["height"] - 2  # then the subject
        assert preview["y"] >= subject["y"] + subject["height"] - 2  # then the preview
        assert subject["width"] > 200 and preview["width"] > 200  # not three characters a cell
    screenshot(page, "webmail-list-phone", full_page=False)
    page.locator("table.messages tbody tr").first.locator("a.open").click()
    page.wait_for_url("**/mail/folder/*/*/")


def test_on_a_phone_the_bulk_actions_are_one_row_and_a_menu(page, alice):
    open_inbox(page, alice, PHONE)
    bar = page.locator("#bulk")
    tops = bar.evaluate("""form => [...form.children].filter(el => el.getClientRects().length && el.type !== 'hidden')
                                      .map(el => Math.round(el.getBoundingClientRect().top))""")
    assert len(tops) >= 4 and max(tops) - min(tops) < 10, f"the toolbar wraps: {tops}"
    assert box(bar)["height"] < 56
    assert page.locator("#bulk button[value=read]:visible").count() == 0  # it is in the menu
    row(page, "Báo giá máy chủ mới").locator("td.select input").check()
    page.click("#bulk details.menu:has(.menu-end) > summary")
    menu = page.locator("#bulk .menu-end")
    panel = box(menu)
    assert panel["x"] >= 0 and panel["x"] + panel["width"] <= PHONE["width"]
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    screenshot(page, "webmail-list-phone-menu", full_page=False)
    menu.locator("button[value=read]").click()
    page.wait_for_selector("text=1 message marked read.")
    assert Message.objects.get(subject="Báo giá máy chủ mới").seen


def test_on_a_phone_the_move_menu_moves_the_selection(page, alice):
    open_inbox(page, alice, PHONE)
    row(page, "Lunch on Friday?").locator("td.select input").check()
    page.click("#bulk details.menu:has(button[name=move_to]) > summary")
    page.click("#bulk button[name=move_to]:has-text('Archive')")
    page.wait_for_selector("text=1 message moved.")
    assert Message.objects.get(subject="Lunch on Friday?").folder.special_use == "\\Archive"
