"""The accounts area in Chromium: create an account, forward it, alias it, under the site's CSP."""
import pytest

from mailcore.directory.models import Account, Alias
from tests.browser.conftest import browser, page, sign_in_admin, web  # noqa: F401 (fixtures)
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def admin_page(page, superadmin, domain):  # noqa: F811
    return sign_in_admin(page, "root")


def test_an_admin_creates_an_account_forwards_it_and_aliases_it(admin_page):
    admin_page.goto("/panel/accounts/")
    admin_page.click("text=New account")
    admin_page.fill("input[name=localpart]", "an")
    admin_page.select_option("select[name=domain]", label="example.test")
    admin_page.fill("input[name=display_name]", "Nguyễn Văn An")
    admin_page.fill("input[name=password]", PASSWORD)
    admin_page.fill("input[name=password2]", PASSWORD)
    admin_page.fill("input[name=quota]", "2 GB")
    admin_page.click("button:has-text('Create account')")
    admin_page.wait_for_url("**/panel/accounts/*/")
    assert Account.objects.get(localpart="an").quota == 2 * 1024**3

    admin_page.fill("textarea[name=targets]", "friend@elsewhere.example")
    admin_page.click("button:has-text('Save forwarding')")
    admin_page.wait_for_load_state()
    assert admin_page.locator("text=Forwarding saved.").count() == 1

    admin_page.fill("input[name=name]", "Phone")
    admin_page.click("button:has-text('Create app password')")
    assert admin_page.locator("#new-app-password").inner_text().count("-") == 4

    admin_page.goto("/panel/accounts/aliases/new/")
    admin_page.fill("input[name=localpart]", "sales")
    admin_page.fill("textarea[name=targets]", "an@example.test")
    admin_page.click("button:has-text('Create alias')")
    admin_page.wait_for_url("**/panel/accounts/aliases/")
    assert Alias.objects.filter(localpart="sales").exists()
    admin_page.goto("/panel/accounts/")
    assert admin_page.locator("table.accounts a:has-text('an@example.test')").count() == 1
    assert admin_page.csp_reports == [] and admin_page.errors == []
