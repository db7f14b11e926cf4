"""The webmail's shell in Chromium: SVG icons and the site icon load, the "?" overlay lists the
keyboard shortcuts (Esc closes it), and the password, two-factor and sessions pages stay inside
the webmail layout, at 1366×800 and 390×844."""
import pytest

from tests.browser.conftest import sign_in
from tests.browser.screenshots import DESKTOP, PHONE, screenshot

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": DESKTOP, "phone": PHONE}
NO_SIDEWAYS_SCROLL = "() => document.scrollingElement.scrollWidth <= window.innerWidth"
ACCOUNT_PAGES = {"password": "/accounts/password/change/", "two-factor": "/accounts/2fa/",
                 "sessions": "/accounts/sessions/"}


@pytest.fixture(params=sorted(SIZES))
def signed_in(request, page, alice):
    page.set_viewport_size(SIZES[request.param])
    sign_in(page, "alice@example.test")
    page.size_name = request.param
    return page


def test_icons_are_drawn_from_the_svg_sprite(signed_in):
    page = signed_in
    uses = page.locator(".wm-top svg.icon use, .wm-folders svg.icon use")
    assert uses.count() >= 8
    drawn = uses.evaluate_all("els => els.filter(el => el.getClientRects().length).map(el => el.getBBox().width)")
    assert drawn and all(width > 5 for width in drawn), drawn  # every symbol was found in icons.svg
    assert not any(char in page.locator("body").inner_text() for char in "📎★☰⭐")


def test_the_site_icon_is_an_svg_with_a_png_fallback(signed_in):
    page = signed_in
    icons = page.eval_on_selector_all("link[rel=icon], link[rel=apple-touch-icon]",
                                      "links => links.map(link => [link.type, link.href])")
    assert {kind for kind, _href in icons} >= {"image/svg+xml", "image/png"}
    for kind, href in icons:
        answer = page.request.get(href)
        assert answer.status == 200 and answer.headers["content-type"].startswith(kind or "image/png")
    fallback = page.request.get("/favicon.ico")  # pages that name no icon (raw source, downloads)
    assert fallback.status == 200 and fallback.headers["content-type"] == "image/png"


def test_question_mark_shows_the_shortcuts_and_escape_closes_them(signed_in):
    page = signed_in
    address = page.url
    page.keyboard.press("?")
    dialog = page.locator("#wm-shortcuts")
    assert dialog.is_visible() and dialog.evaluate("el => el.open")
    keys = dialog.locator("kbd").all_inner_texts()
    for key in ("c", "/", "j", "k", "o", "x", "s", "e", "#", "r", "a", "f", "u", "?", "Esc"):
        assert key in keys
    frame = dialog.bounding_box()
    assert frame["x"] >= 0 and frame["x"] + frame["width"] <= page.viewport_size["width"]
    page.keyboard.press("c")  # other shortcuts sleep while the overlay is up
    assert page.url == address and dialog.evaluate("el => el.open")
    screenshot(page, f"webmail-shortcuts-{page.size_name}", full_page=False)
    page.keyboard.press("Escape")
    assert not dialog.evaluate("el => el.open")
    assert not dialog.is_visible()
    if page.size_name == "desktop":  # the keyboard button in the top bar opens it too
        page.click("[data-shortcuts-open]")
        assert dialog.evaluate("el => el.open")
        page.click("#wm-shortcuts [data-dialog-close]")
        assert not dialog.evaluate("el => el.open")
    assert page.errors == []


@pytest.mark.parametrize("name", sorted(ACCOUNT_PAGES))
def test_account_security_pages_stay_inside_the_webmail(signed_in, name):
    page = signed_in
    page.goto(ACCOUNT_PAGES[name])
    assert page.locator("header.wm-top").is_visible()
    assert page.locator(".wm-folders a").count() >= 6  # the folder list is there (behind ☰ on a phone)
    assert page.locator(".settings-nav a[aria-current=page]").inner_text() == "Security"
    assert page.locator(".account-tabs a[aria-current=page]").count() == 1
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    if name == "sessions":
        screenshot(page, f"webmail-sessions-{page.size_name}", full_page=False)
    if page.size_name == "desktop":
        assert page.locator("#wm-sidebar").is_visible()
        nav = page.locator("#wm-sidebar").bounding_box()
        body = page.locator(".account-page").bounding_box()
        assert body["x"] > nav["x"] + nav["width"]  # beside the folders, not a page of its own
    else:
        page.click(".wm-menu")
        assert page.locator("#wm-sidebar").is_visible()
        page.keyboard.press("Escape")  # and Esc folds it away again
        assert not page.locator("#wm-sidebar").is_visible()
    assert page.errors == [] and page.csp_reports == []
