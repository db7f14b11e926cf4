"""Conversations in Chromium at 1366×800 and 390×844: the switch shows its state, the list's count
is readable, and opening a conversation stacks its messages for reading (newest open, older
folded and opened with a click)."""
import itertools

import pytest

from mailcore.store.models import Message
from tests.browser.conftest import sign_in
from tests.browser.screenshots import DESKTOP, PHONE, screenshot
from tests.support.sample_mailbox import THREAD_SUBJECT, fill

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": DESKTOP, "phone": PHONE}
NO_SIDEWAYS_SCROLL = "() => document.scrollingElement.scrollWidth <= window.innerWidth"


def luminance(rgb: str) -> float:
    """Relative luminance of a CSS rgb()/rgba() colour (WCAG 2.1)."""
    red, green, blue = (int(part) / 255 for part in rgb[rgb.index("(") + 1:rgb.index(")")].split(",")[:3])

    def linear(c):
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast(one: str, two: str) -> float:
    high, low = sorted((luminance(one), luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.fixture(params=sorted(SIZES))
def inbox(request, page, alice):
    page.set_viewport_size(SIZES[request.param])
    mailbox = fill(alice)
    sign_in(page, "alice@example.test")
    page.goto(f"/mail/folder/{mailbox.folder_id}/")
    page.size_name = request.param
    return mailbox


def test_the_switch_shows_whether_conversations_are_on(page, inbox):
    switch = page.locator(".conversations-toggle button.switch")
    off_colour = switch.locator(".switch-track").evaluate("el => getComputedStyle(el).backgroundColor")
    assert switch.get_attribute("aria-pressed") == "false"
    assert switch.locator(".switch-state").inner_text() == "Off"
    switch.click()
    page.wait_for_selector(".conversations-toggle button[aria-pressed=true]")
    switch = page.locator(".conversations-toggle button.switch")
    assert switch.locator(".switch-state").inner_text() == "On"
    on_colour = switch.locator(".switch-track").evaluate("el => getComputedStyle(el).backgroundColor")
    assert on_colour != off_colour
    knob_off_to_on = switch.locator(".switch-knob").evaluate("el => getComputedStyle(el).transform")
    assert knob_off_to_on != "none"  # the knob moved to the "on" side
    assert page.evaluate(NO_SIDEWAYS_SCROLL)


def test_the_count_of_a_conversation_is_readable(page, inbox):
    page.click(".conversations-toggle button.switch")
    page.wait_for_selector(".conversations-toggle button[aria-pressed=true]")
    count = page.locator("tr[data-thread] .count").first
    assert count.locator("[aria-hidden=true]").inner_text() == "8"
    assert count.text_content().endswith("8 messages")  # what a screen reader says
    style = count.evaluate("el => { const s = getComputedStyle(el); return [s.color, s.backgroundColor, s.fontSize]; }")
    assert contrast(style[0], style[1]) >= 4.5  # WCAG AA for normal text
    assert float(style[2].rstrip("px")) >= 12
    assert count.bounding_box()["width"] >= 16
    assert page.locator(".folder-count").inner_text().endswith("conversations")
    screenshot(page, f"webmail-conversations-{page.size_name}", full_page=False)


def test_a_conversation_opens_stacked_newest_open_older_folded(page, inbox, alice):
    page.click(".conversations-toggle button.switch")
    page.wait_for_selector(".conversations-toggle button[aria-pressed=true]")
    page.click(f"tr[data-thread] a.open:has-text('{THREAD_SUBJECT}')")
    page.wait_for_url("**/thread/**")
    messages = page.locator("details.th-message")
    assert messages.count() == 8
    opened = [messages.nth(n).evaluate("el => el.open") for n in range(8)]
    # The two the user has not read yet (and so the newest) are open; the six read ones folded.
    assert opened == [False] * 6 + [True, True]
    boxes = [messages.nth(n).bounding_box() for n in range(8)]
    assert all(later["y"] >= earlier["y"] + earlier["height"] - 1 for earlier, later in itertools.pairwise(boxes))
    assert len({round(b["x"]) for b in boxes}) == 1  # one column, stacked
    folded = messages.first
    assert not folded.locator(".th-body").is_visible()
    assert folded.locator(".th-snippet").is_visible()  # the start of its text on its one line
    assert boxes[0]["height"] < (60 if page.size_name == "desktop" else 80)
    newest = messages.nth(7)
    assert newest.locator(".rd-plain").is_visible()
    assert "Chốt kế hoạch" in newest.locator(".rd-plain").inner_text()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    screenshot(page, f"webmail-thread-{page.size_name}", full_page=True)

    folded.locator("summary").click()  # an older one opens in place
    assert folded.evaluate("el => el.open")
    assert folded.locator(".rd-plain").is_visible()
    assert "bản nháp kế hoạch" in folded.locator(".rd-plain").inner_text()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)

    thread = Message.objects.filter(account=alice, subject__endswith=THREAD_SUBJECT)
    assert thread.count() == 8 and not thread.filter(seen=False).exists()  # the opened ones are read
    assert page.errors == [] and page.csp_reports == []


def test_r_replies_to_the_newest_message_of_the_conversation(page, inbox):
    page.click(".conversations-toggle button.switch")
    page.wait_for_selector(".conversations-toggle button[aria-pressed=true]")
    page.click(f"tr[data-thread] a.open:has-text('{THREAD_SUBJECT}')")
    page.wait_for_url("**/thread/**")
    newest = page.locator("details.th-message").nth(7).get_attribute("data-uid")
    page.keyboard.press("r")
    page.wait_for_url(f"**/{newest}/reply/**")
