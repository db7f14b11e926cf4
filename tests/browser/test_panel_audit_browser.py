"""The audit log in Chromium: changes made through the panel read as sentences, at 1366×800
and on a 390×844 phone without the page scrolling sideways."""
import pytest

from mailcore.directory.services import create_account, create_domain
from tests.conftest import PASSWORD

from .conftest import sign_in_admin
from .screenshots import DESKTOP, PHONE, screenshot, scrolls_sideways

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def root_page(page):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("admin", email="", password=PASSWORD)
    create_domain("công-ty.vn")
    create_account("an@công-ty.vn", PASSWORD, quota=1024**3)
    return sign_in_admin(page, "admin")


def change_quota_and_disable(page):
    page.goto("/panel/accounts/")
    page.click("text=an@công-ty.vn")
    page.fill("#id_quota", "2 GB")
    page.click("form:has(#id_quota) button[type=submit]")
    page.wait_for_selector(".pn-notices")
    page.uncheck("#id_active")
    page.click("form:has(#id_quota) button[type=submit]")
    page.wait_for_selector(".pn-notices")


@pytest.mark.parametrize("viewport, name", [(DESKTOP, "panel-audit-log"), (PHONE, "panel-audit-log-phone")])
def test_changes_read_as_sentences(root_page, viewport, name):
    root_page.set_viewport_size(viewport)
    change_quota_and_disable(root_page)
    root_page.goto("/panel/activity/audit/")
    sentences = root_page.locator(".audit-what .sentence").all_inner_texts()
    assert sentences == ["admin disabled the account an@công-ty.vn.",
                         "admin changed the quota of an@công-ty.vn from 1\xa0GB to 2\xa0GB."]
    assert not scrolls_sideways(root_page)
    screenshot(root_page, name)
    assert root_page.csp_reports == [] and root_page.errors == []
