"""Issue 17 point 8 in Chromium, on a laptop (1366×800) and a phone (390×844): editing a
scheduled message shows its send time and keeps it, and the "Sending… Undo" notice goes
away by itself once the message has gone."""
import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mailcore.delivery.models import QueuedMessage, ScheduledMessage
from mailcore.smtp import scheduled
from mailcore.store import blobs
from tests.browser.screenshots import screenshot
from webmail.models import preferences_for

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
SCREENS = {"laptop": {"width": 1366, "height": 800}, "phone": {"width": 390, "height": 844}}


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("screen", SCREENS)
def test_editing_a_scheduled_message_keeps_its_time(alice_page, alice, screen):
    page = alice_page
    page.set_viewport_size(SCREENS[screen])
    when = (timezone.now() + dt.timedelta(hours=3)).replace(second=0, microsecond=0)
    page.goto("/mail/compose/")
    page.fill("input[name=to]", "carol@example.net")
    page.fill("input[name=subject]", "Báo cáo tuần")
    page.fill("textarea[name=body]", "Bản một.")
    page.click("summary")  # "Send later"
    page.fill("input[name=send_at]", when.strftime("%Y-%m-%dT%H:%M"))  # the browser's zone is UTC
    page.click("button[value=send_later]")
    page.wait_for_url("**/mail/scheduled/")

    page.get_by_role("link", name="Edit").click()
    page.wait_for_url("**/mail/scheduled/*/edit/")
    notice = page.locator("[data-scheduled-notice]")
    expect(notice).to_contain_text(when.strftime("%Y-%m-%d %H:%M"))
    assert page.input_value("input[name=send_at]") == when.strftime("%Y-%m-%dT%H:%M")
    assert page.locator("details.compose-later").get_attribute("open") is not None
    schedule = page.locator("button[value=send_later]")
    expect(schedule).to_be_visible()
    assert "primary" in schedule.get_attribute("class")
    assert no_sideways_scroll(page)
    page.fill("textarea[name=body]", "Bản hai, đã sửa.")
    screenshot(page, f"webmail-scheduled-edit-{screen}")
    schedule.click()
    page.wait_for_url("**/mail/scheduled/")

    (row,) = ScheduledMessage.objects.all()  # replaced, not added
    assert row.send_at == when
    assert "Bản hai, đã sửa." in blobs.read(row.blob.digest).decode()
    expect(page.locator("table.scheduled tbody tr")).to_have_count(1)
    assert page.errors == [] and page.csp_reports == []


@pytest.mark.parametrize("screen", SCREENS)
def test_the_undo_notice_goes_away_once_the_message_has_gone(alice_page, alice, screen):
    preferences = preferences_for(alice)
    preferences.undo_send_seconds = 2
    preferences.save()
    page = alice_page
    page.set_viewport_size(SCREENS[screen])
    page.goto("/mail/compose/")
    page.fill("input[name=to]", "carol@example.net")
    page.fill("input[name=subject]", "Now")
    page.click("button[value=send]")
    page.wait_for_url("**/mail/folder/**")
    undo = page.get_by_role("button", name="Undo")
    expect(undo).to_be_visible()
    screenshot(page, f"webmail-undo-send-{screen}")
    row = ScheduledMessage.objects.get()
    page.wait_for_timeout(2500)  # the delay is over; nobody has sent it yet (no beat here)
    expect(undo).to_be_visible()  # still waiting: Undo still works
    assert scheduled.send_due(timezone.now()) == 1  # beat's task body
    expect(page.locator(".wm-notices")).to_contain_text("Your message was sent.", timeout=10_000)
    expect(undo).to_have_count(0)
    expect(page.locator(".wm-notices")).to_have_count(0, timeout=10_000)
    row.refresh_from_db()
    assert row.status == "sent" and QueuedMessage.objects.count() == 1
    assert page.errors == [] and page.csp_reports == []
