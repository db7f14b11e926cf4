"""Issue 17 point 9 in Chromium, on a laptop (1366×800) and a phone (390×844): a new alias
is typed as its name beside a menu of the admin's domains, IDN domains named in Unicode;
the catch-all box locks the name; the list then reads the address in Unicode."""
import pytest
from playwright.sync_api import expect

from mailcore.directory import services
from mailcore.directory.models import Alias
from tests.browser.conftest import browser, page, sign_in_admin, web  # noqa: F401 (fixtures)
from tests.browser.screenshots import screenshot
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
SCREENS = {"laptop": {"width": 1366, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def admin_page(page, superadmin, domain):  # noqa: F811
    services.create_domain("công-ty.vn")
    services.create_account("an@công-ty.vn", PASSWORD)
    return sign_in_admin(page, "root")


@pytest.mark.parametrize("screen", SCREENS)
def test_an_alias_is_typed_beside_a_menu_of_domains(admin_page, screen):
    ui = admin_page
    ui.set_viewport_size(SCREENS[screen])
    ui.goto("/panel/accounts/aliases/new/?domain=xn--cng-ty-ixa.vn")
    name, menu = ui.locator("input[name=localpart]"), ui.locator("select[name=domain]")
    assert name.input_value() == ""  # nothing typed for the user, so nothing to type after
    assert menu.locator("option").all_inner_texts() == ["công-ty.vn", "example.test"]
    assert menu.input_value() == "xn--cng-ty-ixa.vn"  # chosen by the link
    expect(ui.get_by_label("Domain", exact=True)).to_be_visible()  # the menu has a name for screen readers
    name_box, menu_box = name.bounding_box(), menu.bounding_box()
    width = SCREENS[screen]["width"]
    assert name_box["x"] >= 0 and menu_box["x"] + menu_box["width"] <= width  # both on screen
    if screen == "laptop":
        assert abs(name_box["y"] - menu_box["y"]) < 10  # side by side: name @ domain

    name.click()
    ui.keyboard.type("info")
    assert name.input_value() == "info"
    ui.fill("textarea[name=targets]", "an@công-ty.vn")
    screenshot(ui, f"panel-new-alias-{screen}")
    ui.click("button:has-text('Create alias')")
    ui.wait_for_url("**/panel/accounts/aliases/")
    assert str(Alias.objects.get()) == "info@công-ty.vn"
    listed = ui.locator("main table").inner_text()
    assert "info@công-ty.vn" in listed and "an@công-ty.vn" in listed and "xn--" not in listed
    assert ui.errors == [] and ui.csp_reports == []


@pytest.mark.parametrize("screen", SCREENS)
def test_the_catch_all_box_locks_the_name(admin_page, screen):
    ui = admin_page
    ui.set_viewport_size(SCREENS[screen])
    ui.goto("/panel/accounts/aliases/new/")
    ui.fill("input[name=localpart]", "typed")
    ui.select_option("select[name=domain]", label="công-ty.vn")
    ui.check("input[name=catch_all]")
    expect(ui.locator("input[name=localpart]")).to_be_disabled()
    assert ui.input_value("input[name=localpart]") == ""
    ui.uncheck("input[name=catch_all]")
    assert ui.input_value("input[name=localpart]") == "typed"  # given back
    ui.check("input[name=catch_all]")
    ui.fill("textarea[name=targets]", "an@công-ty.vn")
    ui.click("button:has-text('Create alias')")
    ui.wait_for_url("**/panel/accounts/aliases/")
    alias = Alias.objects.get()
    assert alias.localpart == "" and alias.domain.name == "xn--cng-ty-ixa.vn"
    assert ui.errors == [] and ui.csp_reports == []
