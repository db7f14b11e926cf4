"""The webmail's mail rules in Firefox at phone width: the list fits, and a Sieve import
with a line HopThu cannot keep is refused by line, nothing saved."""
import pytest

from mailcore.delivery.models import MailRule
from tests.conftest import PASSWORD
from tests.firefox.conftest import sign_in

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

WIDTH = 390
SCROLL_WIDTH = "document.documentElement.scrollWidth"


def test_rules_and_a_refused_import_fit_a_phone(tab, alice):
    MailRule.objects.create(account=alice, name="A rule with a long name that wraps on a phone", conditions=[
        {"field": "header", "header": "List-Id", "op": "contains", "value": "x" * 120}], actions=[{"action": "flag"}])
    tab.set_viewport(WIDTH, 844)
    sign_in(tab, "alice@example.test")
    tab.goto("/mail/settings/rules/")
    assert "List-Id contains" in tab.text("main")
    assert tab.evaluate(SCROLL_WIDTH) <= WIDTH

    tab.goto("/mail/settings/rules/import/")
    tab.type("textarea[name=script]", 'if true { reject "no"; }')
    tab.click("button.primary")
    tab.wait_for("document.readyState === 'complete' && !location.pathname.endsWith('/import/') "
                 "|| !!document.querySelector('.sieve-problems')")
    if "/accounts/reauthenticate/" in tab.url:  # importing can forward mail away: the password again
        tab.type("input[name=password]", PASSWORD)
        tab.click("button[type=submit]")
        tab.wait_for("!!document.querySelector('.sieve-problems')")
    assert "Line 1:" in tab.text(".sieve-problems")
    assert tab.evaluate(SCROLL_WIDTH) <= WIDTH
    assert list(MailRule.objects.filter(account=alice).values_list("name", flat=True)) == [
        "A rule with a long name that wraps on a phone"]
    assert tab.errors() == []
