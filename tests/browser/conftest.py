"""Browser tests: Debian's Chromium driven headless by Playwright against a live server.

DESIGN.md: executable_path=/usr/bin/chromium, never `playwright install`. The live
server is pytest-django's (a real threaded HTTP server over a transactional test
database). Playwright's sync API keeps an event loop running in this thread while it is
open, so Django's guard against ORM calls inside a running loop is lifted while it is,
and it is opened per test module: tests that run later (asyncio.run) need no loop here.
"""
import os
import shutil

import pytest

from tests.conftest import PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-dev-shm-usage"]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is not installed (scripts/test-services installs it)")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def web(settings, live_server):
    """The live server's base URL, with cookies a plain-HTTP test server can set."""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.ACCOUNT_RATE_LIMITS = False
    return live_server.url


@pytest.fixture
def page(browser, web):
    context = browser.new_context(base_url=web, locale="en-US", timezone_id="UTC")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.csp_reports = []  # what the browser refused under the site's Content-Security-Policy
    page.on("console", lambda message: "Content Security Policy" in message.text and
            page.csp_reports.append(message.text))
    yield page
    context.close()


def sign_in(page, address, password=PASSWORD):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", address)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/mail/folder/**")


def sign_in_admin(page, username, password=PASSWORD):
    """Sign in to the control panel through the same form mail users use."""
    page.goto("/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/panel/")
    return page


@pytest.fixture
def alice_page(page, alice):
    sign_in(page, "alice@example.test")
    return page
