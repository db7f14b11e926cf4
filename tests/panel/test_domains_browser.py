"""The domains area in Chromium under the site's CSP: add an IDN domain in human units,
rotate its DKIM key, disable it through the confirm dialog, delete it keeping the mail."""
import pytest

from mailcore.directory.models import Domain
from mailcore.dkim.models import DkimKey
from tests.browser.conftest import browser, page, sign_in_admin, web  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def root_page(page, superadmin):  # noqa: F811
    return sign_in_admin(page, "root")


def test_a_superadmin_adds_rotates_disables_and_deletes_a_domain(root_page):
    ui = root_page
    ui.goto("/panel/domains/")
    ui.click("text=Add a domain")
    ui.fill("input[name=name]", "ví-dụ.vn")
    ui.fill("input[name=total_quota]", "20 GB")
    ui.fill("input[name=default_quota]", "2G")
    ui.click("button:has-text('Add the domain')")
    ui.wait_for_url("**/panel/domains/*/")
    assert ui.locator("h1").inner_text().startswith("ví-dụ.vn")
    domain = Domain.objects.get()
    assert (domain.name, domain.total_quota) == ("xn--v-d-rma6749a.vn", 20 * 1024**3)
    assert DkimKey.objects.filter(domain=domain, active=True).count() == 1

    ui.click("text=Manage the DKIM keys")
    ui.click("button:has-text('Make a new key')")
    ui.wait_for_load_state()
    assert ui.locator("text=new, not used yet").count() == 1
    ui.check("input[name=force]")
    ui.click("button:has-text('Use the new key')")
    ui.wait_for_load_state()
    assert ui.locator("text=Keep this record in DNS until").count() == 1

    ui.goto("/panel/domains/ví-dụ.vn/")
    ui.once("dialog", lambda dialog: dialog.accept())
    ui.click("button:has-text('Disable')")
    ui.wait_for_load_state()
    assert ui.locator("button:has-text('Enable')").count() == 1
    assert Domain.objects.get().active is False

    ui.click("text=Delete…")
    ui.fill("input[name=confirm]", "xn--v-d-rma6749a.vn")
    ui.click("button:has-text('Delete the domain')")
    ui.wait_for_url("**/panel/domains/")
    assert Domain.objects.filter(active=False).count() == 1
    assert ui.csp_reports == [] and ui.errors == []
