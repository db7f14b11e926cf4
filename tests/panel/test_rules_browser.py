"""The rules pages in Chromium: add a rule, test it on a pasted message, turn it off, delete it; no CSP error."""
import pytest

from mailcore.delivery.models import MailRule
from tests.browser.conftest import browser, page, web  # noqa: F401 (fixtures)
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def owner_page(page, domain_admin, alice):  # noqa: F811
    page.csp_reports = []
    page.on("console", lambda message: "Content Security Policy" in message.text and
            page.csp_reports.append(message.text))
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto("/accounts/login/")
    page.fill("input[name=login]", "owner")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/panel/")
    return page


def test_a_domain_admin_adds_tests_and_removes_a_rule(owner_page, alice):
    owner_page.goto(f"/panel/rules/account/{alice.pk}/")
    owner_page.click("text=Add a rule")
    owner_page.fill("input[name=name]", "Hóa đơn")
    owner_page.select_option("select[name=conditions-0-field]", "subject")
    owner_page.fill("input[name=conditions-0-value]", "hoa don")
    owner_page.check("input[name=conditions-0-ignore_accents]")
    owner_page.select_option("select[name=actions-0-action]", "move")
    owner_page.select_option("select[name=actions-0-folder]", "Archive")
    owner_page.select_option("select[name=actions-1-action]", "mark_read")
    owner_page.click("button:has-text('Add the rule')")
    owner_page.wait_for_url(f"**/panel/rules/account/{alice.pk}/")
    rule = MailRule.objects.get(account=alice)
    assert rule.actions == [{"action": "move", "folder": "Archive"}, {"action": "mark_read"}]

    owner_page.click("text=Test the rules on a message")
    owner_page.fill("textarea[name=message]", "From: a@example.net\nSubject: Hóa đơn 11\n\nbody\n")
    owner_page.click("button:has-text('Run the rules')")
    assert owner_page.locator("text=Delivered to the folder Archive.").count() == 1

    owner_page.goto(f"/panel/rules/account/{alice.pk}/")
    owner_page.click("button:has-text('Turn off')")
    owner_page.wait_for_selector("button:has-text('Turn on')")
    assert not MailRule.objects.get(pk=rule.pk).active
    owner_page.click("button:has-text('Delete')")  # data-confirm: the dialog is accepted
    owner_page.wait_for_selector("text=was deleted")
    assert not MailRule.objects.exists()
    assert owner_page.csp_reports == [] and owner_page.errors == []


def test_more_rows_are_added_in_place_and_saved(owner_page, alice):
    owner_page.goto(f"/panel/rules/account/{alice.pk}/add/")
    assert not owner_page.is_visible("text=Need more rows?")  # with script, the button says it
    owner_page.fill("input[name=name]", "Many senders")
    for _ in range(2):
        owner_page.click("button:has-text('Add a condition')")
    assert owner_page.locator("select[name=conditions-3-field]").evaluate("e => e === document.activeElement")
    for index, sender in enumerate(["a@example.net", "b@example.net", "c@example.net", "d@example.net"]):
        owner_page.select_option(f"select[name=conditions-{index}-field]", "from")
        owner_page.fill(f"input[name=conditions-{index}-value]", sender)
    owner_page.select_option("select[name=match]", "any")
    owner_page.click("button:has-text('Add an action')")
    owner_page.select_option("select[name=actions-2-action]", "flag")
    owner_page.click("button:has-text('Add the rule')")
    owner_page.wait_for_url(f"**/panel/rules/account/{alice.pk}/")
    rule = MailRule.objects.get(account=alice)
    assert [condition["value"] for condition in rule.conditions] == ["a@example.net", "b@example.net",
                                                                     "c@example.net", "d@example.net"]
    assert rule.actions == [{"action": "flag"}]
    assert owner_page.csp_reports == [] and owner_page.errors == []
