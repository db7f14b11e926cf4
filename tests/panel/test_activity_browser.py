"""The activity pages in Chromium under the real CSP: the charts draw, and removing queued
mail asks first (activity.js), then removes only on OK."""
import pytest

from mailcore.delivery.models import QueueRecipient
from mailcore.stats.counts import count
from tests.browser import conftest as browser_fixtures
from tests.panel.activity_rows import queued

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
browser, web, page = browser_fixtures.browser, browser_fixtures.web, browser_fixtures.page
sign_in_admin = browser_fixtures.sign_in_admin


@pytest.fixture
def root_page(page, superadmin):
    return sign_in_admin(page, "root")


def test_the_charts_draw_without_breaking_the_csp(root_page, domain):
    count("example.test", "received", 8)
    root_page.goto("/panel/activity/stats/")
    chart = root_page.locator("svg.chart").first
    box = chart.bounding_box()
    assert box["width"] > 200 and box["height"] > 50
    assert chart.locator("rect").count() == 30
    assert root_page.csp_reports == []
    assert root_page.errors == []


def test_removing_queued_mail_asks_first(root_page, alice):
    row = queued("alice@example.test")
    root_page.goto("/panel/activity/queue/")
    root_page.check(f"#q-{row.pk}")
    root_page.once("dialog", lambda dialog: dialog.dismiss())
    root_page.click("text=Remove selected")
    root_page.wait_for_timeout(300)
    row.refresh_from_db()
    assert row.status == "queued"
    root_page.once("dialog", lambda dialog: dialog.accept())
    root_page.click("text=Remove selected")
    root_page.wait_for_selector(".pn-notices")
    assert QueueRecipient.objects.get(pk=row.pk).status == "failed"
    assert root_page.csp_reports == []
