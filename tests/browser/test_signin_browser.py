"""Signing in and out in Chromium."""
import pytest

from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_sign_in_shows_the_inbox_and_sign_out_ends_it(page, alice):
    sign_in(page, "alice@example.test")
    assert page.locator(".wm-address").inner_text() == "alice@example.test"
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/**")
    page.goto("/mail/")
    assert "/accounts/login/" in page.url


def test_a_wrong_password_shows_an_error(page, alice):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", "alice@example.test")
    page.fill("input[name=password]", "not the password")
    page.click("button[type=submit]")
    assert "/accounts/login/" in page.url
    assert page.locator("text=not correct").count() >= 1
