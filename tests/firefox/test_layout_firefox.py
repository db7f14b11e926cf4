"""The webmail's layout in Firefox, measured as in tests/browser (Chromium): the desktop list
uses the width, the phone list is cards, a conversation opens stacked, icons come from the SVG
sprite, "?" shows the shortcuts and Esc closes them, account pages stay in the layout."""
import pytest

from tests.firefox.conftest import sign_in
from tests.support.sample_mailbox import THREAD_SUBJECT, fill

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

NO_SIDEWAYS_SCROLL = "document.scrollingElement.scrollWidth <= window.innerWidth"
BOX = "el => (r => ({x: r.x, y: r.y, width: r.width, height: r.height}))(el.getBoundingClientRect())"


def box(tab, selector):
    return tab.call(BOX, tab.element(selector))


def subject_row(subject):
    """A selector-free script finding the list row whose subject is exactly subject."""
    return (f"[...document.querySelectorAll('table.messages tbody tr')]"
            f".find(tr => tr.querySelector('.subject-text').textContent === {subject!r})")


def open_inbox(tab, alice, width, height):
    tab.set_viewport(width, height)
    mailbox = fill(alice)
    sign_in(tab, "alice@example.test")
    tab.goto(f"/mail/folder/{mailbox.folder_id}/")
    return mailbox


def test_the_desktop_list_uses_the_width_and_shows_subjects_and_previews(tab, alice):
    open_inbox(tab, alice, 1366, 800)
    assert tab.evaluate(NO_SIDEWAYS_SCROLL)
    table, subject_head = box(tab, "table.messages"), box(tab, "table.messages th.subject")
    assert table["width"] >= 1050 and subject_head["width"] >= 480
    row = subject_row("Báo cáo doanh thu tuần 45")
    assert tab.evaluate(f"(s => s.scrollWidth <= s.clientWidth)({row}.querySelector('.subject-text'))")
    assert tab.evaluate(f"{row}.querySelector('.preview').getBoundingClientRect().width") > 200
    assert tab.evaluate(f"getComputedStyle({row}.querySelector('.preview')).textOverflow") == "ellipsis"
    assert tab.evaluate(f"Number(getComputedStyle({row}.querySelector('.subject-text')).fontWeight)") >= 700
    clip = f"{subject_row('Hóa đơn tiền điện tháng 11')}.querySelector('td.attach svg use')"
    assert tab.evaluate(f"{clip}.getBBox().width") > 5  # drawn from icons.svg
    assert tab.errors() == []


def test_on_a_phone_each_message_is_a_card_and_actions_are_a_menu(tab, alice):
    open_inbox(tab, alice, 390, 844)
    assert tab.evaluate("window.innerWidth") == 390
    assert tab.evaluate(NO_SIDEWAYS_SCROLL)
    cards = tab.evaluate("""[...document.querySelectorAll('table.messages tbody tr')].slice(0, 5).map(tr => {
        const r = el => (b => [b.x, b.y, b.width, b.height])(el.getBoundingClientRect());
        const q = sel => r(tr.querySelector(sel));
        return [q('td.from'), q('td.date'), q('.subject-text'), q('.preview'), r(tr)]; })""")
    for sender, date, subject, preview, whole in cards:
        assert abs(sender[1] - date[1]) < 8 and date[0] > sender[0]
        assert subject[1] >= sender[1] + sender[3] - 2 and preview[1] >= subject[1] + subject[3] - 2
        assert subject[2] > 200 and whole[0] >= 0 and whole[0] + whole[2] <= 390
    tops = tab.evaluate("""[...document.querySelector('#bulk').children]
        .filter(el => el.getClientRects().length && el.type !== 'hidden').map(el => el.getBoundingClientRect().top)""")
    assert len(tops) >= 4 and max(tops) - min(tops) < 10  # one row
    tab.click("#bulk details.menu:last-of-type > summary")
    assert tab.visible("#bulk .menu-end button[value=read]")
    menu = box(tab, "#bulk .menu-end")
    assert menu["x"] >= 0 and menu["x"] + menu["width"] <= 390
    tab.press("Escape")
    assert not tab.evaluate("document.querySelector('#bulk details.menu:last-of-type').open")
    assert tab.errors() == []


def test_a_conversation_opens_stacked_with_the_newest_open(tab, alice):
    mailbox = open_inbox(tab, alice, 1366, 800)
    tab.click(".conversations-toggle button.switch")
    tab.wait_for("document.querySelector('.conversations-toggle button[aria-pressed=true]')")
    assert tab.text(".conversations-toggle .switch-state") == "On"
    tab.goto(tab.evaluate("document.querySelector('tr[data-thread] a.open[href*=thread]').getAttribute('href')"))
    assert tab.text("h1.rd-subject") == THREAD_SUBJECT
    opened = tab.evaluate("[...document.querySelectorAll('details.th-message')].map(d => d.open)")
    assert opened == [False] * 6 + [True, True]
    # Firefox lays out a closed <details>' content but skips drawing it (content-visibility):
    # checkVisibility() is what says whether a reader sees it.
    shown = "document.querySelector('details.th-message .th-body').checkVisibility()"
    assert not tab.evaluate(shown)  # the first, folded
    summary = box(tab, "details.th-message > summary")
    assert summary["height"] < 60  # one line
    tab.click("details.th-message > summary")
    assert tab.evaluate("document.querySelector('details.th-message').open")
    assert tab.evaluate(shown)
    folded = box(tab, "details.th-message:not([open])")
    assert folded["y"] > summary["y"] + summary["height"]  # the next ones moved down: stacked
    assert tab.evaluate(NO_SIDEWAYS_SCROLL)
    assert mailbox.thread_uids[-1] == int(tab.evaluate(
        "document.querySelectorAll('details.th-message')[7].dataset.uid"))
    assert tab.errors() == []


def test_question_mark_shows_the_shortcuts_and_escape_closes_them(tab, alice):
    open_inbox(tab, alice, 1366, 800)
    tab.press("?")
    tab.wait_for("document.getElementById('wm-shortcuts').open")
    assert tab.visible("#wm-shortcuts")
    keys = tab.evaluate("[...document.querySelectorAll('#wm-shortcuts kbd')].map(k => k.textContent)")
    assert {"c", "/", "j", "k", "s", "e", "#", "r", "u", "?", "Esc"} <= set(keys)
    tab.press("Escape")
    tab.wait_for("!document.getElementById('wm-shortcuts').open")
    assert not tab.visible("#wm-shortcuts")
    assert tab.errors() == []


def test_the_sessions_page_stays_in_the_webmail_on_a_phone(tab, alice):
    tab.set_viewport(390, 844)
    sign_in(tab, "alice@example.test")
    tab.goto("/accounts/sessions/")
    assert tab.visible("header.wm-top")
    assert tab.text(".settings-nav a[aria-current=page]") == "Security"
    assert tab.evaluate(NO_SIDEWAYS_SCROLL)
    tab.click(".wm-menu")
    tab.wait_for("document.querySelector('.wm-menu').getAttribute('aria-expanded') === 'true'")
    assert tab.visible("#wm-sidebar")
    assert tab.errors() == []
