"""Relay tokens and networks in Chromium at 1366×800 and on a 390×844 phone: a token is made
through the form, its secret shown once, revoked after a confirmation; a network is added;
the lists fit the screen (cards on a phone) and the CSP refuses nothing."""
import pytest

from mailcore.directory.services import create_domain
from mailcore.relay import services
from mailcore.relay.access import check_token
from mailcore.relay.models import RelayToken
from tests.conftest import PASSWORD

from .conftest import sign_in_admin
from .screenshots import DESKTOP, PHONE, screenshot, scrolls_sideways

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def root_page(page):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("admin", email="", password=PASSWORD)
    create_domain("công-ty.vn")
    create_domain("example.test")
    services.create_token("example.test", "monitoring", senders=["alerts@example.test"], rate_per_hour=60)
    services.create_network("công-ty.vn", "office printers", "192.0.2.0/24", senders=["scanner@công-ty.vn"])
    return sign_in_admin(page, "admin")


@pytest.mark.parametrize("viewport, name", [(DESKTOP, "panel-relay-token-made"),
                                            (PHONE, "panel-relay-token-made-phone")])
def test_a_token_is_made_and_its_secret_shown_once(root_page, viewport, name):
    root_page.set_viewport_size(viewport)
    root_page.goto("/panel/relay/tokens/")
    root_page.select_option("#id_domain", label="công-ty.vn")
    root_page.fill("#id_name", "web shop")
    root_page.fill("#id_senders", "shop@công-ty.vn\norders@công-ty.vn")
    root_page.fill("#id_rate_per_hour", "500")
    root_page.click("text=Make the token")
    secret = root_page.locator("#new-relay-secret").inner_text().strip()
    username = root_page.locator("#new-relay-username").inner_text().strip()
    token = RelayToken.objects.get(name="web shop")
    assert username == token.username
    assert check_token(username, secret, "127.0.0.1") == token
    row = root_page.locator("table.relay-grants tr", has_text="web shop")
    assert "shop@công-ty.vn, orders@công-ty.vn" in row.inner_text()
    assert not scrolls_sideways(root_page)
    screenshot(root_page, name)
    root_page.goto("/panel/relay/tokens/")
    assert secret not in root_page.content()
    assert root_page.csp_reports == [] and root_page.errors == []


def test_revoking_asks_first(root_page):
    root_page.set_viewport_size(DESKTOP)
    root_page.goto("/panel/relay/tokens/")
    row = root_page.locator("table.relay-grants tr", has_text="monitoring")
    root_page.once("dialog", lambda dialog: dialog.dismiss())
    row.get_by_role("button", name="Revoke").click()
    root_page.wait_for_timeout(300)
    assert RelayToken.objects.filter(name="monitoring").exists()
    root_page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Revoke").click()
    root_page.wait_for_selector(".pn-notices")
    assert not RelayToken.objects.filter(name="monitoring").exists()
    assert "The relay token monitoring was revoked." in root_page.locator(".pn-notices").inner_text()


@pytest.mark.parametrize("viewport, name", [(DESKTOP, "panel-relay-networks"), (PHONE, "panel-relay-networks-phone")])
def test_the_network_list_fits_the_screen(root_page, viewport, name):
    root_page.set_viewport_size(viewport)
    root_page.goto("/panel/relay/networks/")
    root_page.select_option("#id_domain", label="example.test")
    root_page.fill("#id_name", "branch office")
    root_page.fill("#id_network", "198.51.100.0/28")
    root_page.click("text=Add the network")
    root_page.wait_for_selector(".pn-notices")
    rows = root_page.locator("table.relay-grants tbody tr")
    assert rows.count() == 2
    assert "198.51.100.0/28" in rows.nth(0).inner_text() + rows.nth(1).inner_text()
    assert not scrolls_sideways(root_page)
    if viewport is PHONE:  # a card per grant: its cells stack, each with its label
        printers = root_page.locator("table.relay-grants tr", has_text="office printers")
        cells = printers.locator("td[data-label]")
        assert cells.nth(1).bounding_box()["y"] > cells.nth(0).bounding_box()["y"]
        assert printers.bounding_box()["width"] <= PHONE["width"]
    screenshot(root_page, name)
    assert root_page.csp_reports == [] and root_page.errors == []
