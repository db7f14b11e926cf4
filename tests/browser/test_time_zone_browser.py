"""Issue 17 point 16 in Chromium, on a laptop (1366×800) and a phone (390×844): with no
zone chosen, the webmail and the panel show times in the browser's time zone, reported
by the first page; a zone chosen in Settings wins over it."""
import datetime as dt
import time

import pytest
from django.utils import formats, timezone
from playwright.sync_api import expect

from mailcore.audit.log import record
from tests.browser.conftest import sign_in, sign_in_admin
from tests.browser.screenshots import screenshot
from tests.panel.conftest import superadmin  # noqa: F401 (fixture)
from tests.webmail.reading.mails import put
from webmail.models import preferences_for

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
SCREENS = {"laptop": {"width": 1366, "height": 800}, "phone": {"width": 390, "height": 844}}
ZONE = "Asia/Ho_Chi_Minh"
SAME_ZONE = {ZONE, "Asia/Saigon"}  # Chromium reports CLDR's name for it, the IANA link Asia/Saigon


@pytest.fixture
def saigon_page(browser, web):
    """A browser whose clock is set to Ho Chi Minh City's time."""
    context = browser.new_context(base_url=web, locale="en-US", timezone_id=ZONE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.errors, page.csp_reports = [], []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda message: "Content Security Policy" in message.text and
            page.csp_reports.append(message.text))
    yield page
    context.close()


def shown(when, zone, format_name="TIME_FORMAT"):
    with timezone.override(zone):
        return formats.date_format(timezone.localtime(when), format_name) if "DATE" in format_name else \
            formats.time_format(timezone.localtime(when), format_name)


def wait_for_zone(account) -> str:
    """The zone the page reported (in the background, after it loaded)."""
    for _ in range(150):
        reported = preferences_for(account).browser_time_zone
        if reported in SAME_ZONE:
            return reported
        time.sleep(0.1)
    raise AssertionError("the page never reported the browser's time zone")


@pytest.mark.parametrize("screen", SCREENS)
def test_the_webmail_shows_times_in_the_browsers_zone(saigon_page, alice, screen):
    page = saigon_page
    page.set_viewport_size(SCREENS[screen])
    arrived = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(minutes=1)
    put(alice, b"From: Bob <bob@example.test>\r\nTo: alice@example.test\r\nSubject: Hi\r\n\r\nHi\r\n",
        internal_date=arrived)
    sign_in(page, "alice@example.test")
    reported = wait_for_zone(alice)
    assert preferences_for(alice).time_zone == ""  # stored as the browser's, not as a choice
    local, utc = shown(arrived, ZONE), shown(arrived, "UTC")
    assert local != utc
    expect(page.locator("table.messages")).to_contain_text(local)  # shown again in the browser's zone
    screenshot(page, f"webmail-browser-time-zone-{screen}")
    page.goto("/mail/settings/display/")
    label = page.locator("select[name=time_zone] option:checked").inner_text()
    assert label == f"Your browser's time zone ({reported})"
    assert page.errors == [] and page.csp_reports == []


def test_a_zone_chosen_in_settings_wins(saigon_page, alice):
    page = saigon_page
    page.set_viewport_size(SCREENS["laptop"])
    arrived = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(minutes=1)
    put(alice, b"From: bob@example.test\r\nTo: alice@example.test\r\nSubject: Hi\r\n\r\nHi\r\n", internal_date=arrived)
    sign_in(page, "alice@example.test")
    wait_for_zone(alice)
    page.goto("/mail/settings/display/")
    page.select_option("select[name=time_zone]", "America/New_York")
    page.click("button[type=submit]:has-text('Save')")
    expect(page.locator(".wm-notices")).to_contain_text("Your settings were saved.")
    assert preferences_for(alice).time_zone == "America/New_York"
    page.goto("/mail/")
    expect(page.locator("table.messages")).to_contain_text(shown(arrived, "America/New_York"))
    assert preferences_for(alice).time_zone == "America/New_York"  # the browser did not undo the choice
    assert page.errors == []


@pytest.mark.parametrize("screen", SCREENS)
def test_the_panel_shows_an_admins_times_in_the_browsers_zone(saigon_page, superadmin, screen):  # noqa: F811
    page = saigon_page
    page.set_viewport_size(SCREENS[screen])
    entry = record(superadmin, "domain.create", "domain", "example.test", domain="example.test")
    sign_in_admin(page, "root")
    page.goto("/panel/activity/audit/")
    expected = shown(entry.time, ZONE, "SHORT_DATETIME_FORMAT")
    assert expected != shown(entry.time, "UTC", "SHORT_DATETIME_FORMAT")
    expect(page.locator("main table")).to_contain_text(expected)  # after the page reported the zone
    assert page.errors == [] and page.csp_reports == []
