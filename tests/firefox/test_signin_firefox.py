"""Signing in through the form in Firefox lands on the Inbox."""
import pytest

from tests.firefox.conftest import sign_in

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_signing_in_through_the_form_shows_the_inbox(tab, alice):
    sign_in(tab, "alice@example.test")
    assert tab.text(".wm-address") == "alice@example.test"
    assert tab.evaluate("document.title").startswith("Inbox")
    assert tab.errors() == []


def test_a_wrong_password_shows_an_error(tab, alice):
    tab.goto("/accounts/login/")
    tab.type("input[name=login]", "alice@example.test")
    tab.type("input[name=password]", "not the password")
    tab.click("button[type=submit]")
    tab.wait_for("document.readyState === 'complete' && document.body.innerText.includes('not correct')")
    assert "/accounts/login/" in tab.url
    assert tab.errors() == []
