"""The control panel on a phone (390×844) in Chromium: no page scrolls sideways. A table wider
than the screen scrolls inside its own box (panel.css), the page around it does not."""
import pytest

from tests.browser.conftest import browser, page, sign_in_admin, web  # noqa: F401 (fixtures)
from tests.browser.screenshots import PHONE, screenshot

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

NO_SIDEWAYS_SCROLL = "() => document.scrollingElement.scrollWidth <= window.innerWidth"
PAGES = ["/panel/", "/panel/domains/", "/panel/domains/add/", "/panel/domains/admins/", "/panel/domains/example.test/",
         "/panel/dns/example.test/", "/panel/accounts/", "/panel/accounts/new/", "/panel/accounts/import/",
         "/panel/accounts/aliases/", "/panel/accounts/aliases/new/", "/panel/activity/", "/panel/activity/queue/",
         "/panel/activity/listeners/", "/panel/activity/stats/", "/panel/activity/storage/", "/panel/activity/audit/",
         "/panel/filters/", "/panel/filters/quarantine/"]
PER_ACCOUNT = ["/panel/accounts/{pk}/", "/panel/rules/account/{pk}/", "/panel/rules/account/{pk}/add/",
               "/panel/rules/account/{pk}/test/", "/panel/clients/account/{pk}/"]


@pytest.fixture
def phone_admin(page, superadmin, alice):  # noqa: F811
    page.set_viewport_size(PHONE)
    return sign_in_admin(page, "root")


def test_no_panel_page_scrolls_sideways_on_a_phone(phone_admin, alice):
    ui = phone_admin
    too_wide = []
    for url in [*PAGES, *(path.format(pk=alice.pk) for path in PER_ACCOUNT)]:
        response = ui.goto(url)
        assert response.status == 200, url
        if not ui.evaluate(NO_SIDEWAYS_SCROLL):
            too_wide.append((url, ui.evaluate("() => document.scrollingElement.scrollWidth")))
    assert too_wide == []
    ui.goto("/panel/accounts/")
    table = ui.locator("table.list")
    assert table.evaluate("el => getComputedStyle(el).overflowX") == "auto"
    assert table.bounding_box()["x"] + table.bounding_box()["width"] <= PHONE["width"]
    screenshot(ui, "panel-accounts-phone", full_page=False)
    assert ui.errors == [] and ui.csp_reports == []
