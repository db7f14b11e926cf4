"""The alias list's Disable/Enable button in Chromium (issue 16): disabling asks first,
then the same list page (its domain filter) comes back with the alias marked disabled;
enabling asks nothing. The CSP refuses nothing."""
import pytest

from mailcore.directory.models import Alias
from mailcore.directory.services import create_account, create_alias, create_domain
from tests.conftest import PASSWORD

from .conftest import sign_in_admin
from .screenshots import DESKTOP

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
LIST = "/panel/accounts/aliases/?domain=example.test"


@pytest.fixture
def root_page(page):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("admin", email="", password=PASSWORD)
    create_domain("example.test")
    create_account("alice@example.test", PASSWORD)
    create_alias("sales@example.test", ["alice@example.test"])
    page.set_viewport_size(DESKTOP)
    return sign_in_admin(page, "admin")


def test_disabling_asks_first_and_enabling_again_does_not(root_page):
    root_page.goto(LIST)
    row = root_page.locator("table.aliases tbody tr", has_text="sales@example.test")
    root_page.once("dialog", lambda dialog: dialog.dismiss())
    row.get_by_role("button", name="Disable").click()
    root_page.wait_for_timeout(300)
    assert Alias.objects.get().active
    root_page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Disable").click()
    root_page.wait_for_selector(".pn-notices")
    assert not Alias.objects.get().active
    assert root_page.url.endswith(LIST)  # the same page of the list
    assert "The alias sales@example.test is disabled" in root_page.locator(".pn-notices").inner_text()
    row = root_page.locator("table.aliases tbody tr", has_text="sales@example.test")
    assert "no" in row.inner_text()
    row.get_by_role("button", name="Enable").click()  # no dialog: nothing is lost by enabling
    root_page.wait_for_function("() => document.querySelector('.pn-notices') && "
                                "document.querySelector('.pn-notices').innerText.includes('is enabled')")
    assert Alias.objects.get().active
    assert root_page.csp_reports == [] and root_page.errors == []
