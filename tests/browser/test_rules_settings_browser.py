"""The webmail's mail rules in Chromium: add a rule with the editor, export it as Sieve,
import a script (a bad line listed, then a good script imported), at 1366×800 and 390×844."""
import pytest

from mailcore.delivery.models import MailRule
from tests.browser.conftest import sign_in
from tests.browser.screenshots import DESKTOP, PHONE, screenshot, scrolls_sideways
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("size", "suffix"), [(DESKTOP, ""), (PHONE, "-phone")])
def test_add_export_and_import_rules(page, alice, size, suffix, tmp_path):
    page.set_viewport_size(size)
    sign_in(page, alice.address)
    page.goto("/mail/settings/rules/")
    page.click("text=Add a rule")
    page.fill("input[name=name]", "Invoices")
    page.select_option("select[name=conditions-0-field]", "subject")
    page.select_option("select[name=conditions-0-op]", "contains")
    page.fill("input[name=conditions-0-value]", "invoice")
    page.select_option("select[name=actions-0-action]", "flag")
    page.select_option("select[name=actions-1-action]", "mark_read")
    if suffix == "":
        screenshot(page, "webmail-rules-editor")
    page.click("button:has-text('Add the rule')")
    # A rule can forward mail away: the password is asked again, then the rule is saved.
    page.wait_for_url("**/accounts/reauthenticate/**")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/mail/settings/rules/")
    assert "Subject contains “invoice”" in page.inner_text("main")
    assert not scrolls_sideways(page)
    screenshot(page, f"webmail-rules{suffix}")

    with page.expect_download() as download:
        page.click("text=Export as Sieve")
    saved = tmp_path / "rules.sieve"
    download.value.save_as(saved)
    script = saved.read_text()
    assert '# rule: Invoices\nif header :contains "subject" "invoice" {' in script

    page.click("text=Import a Sieve script")
    page.fill("textarea[name=script]", 'require "vacation";\n\nvacation "I am away";\n')
    page.click("button:has-text('Import')")
    assert "Line 3:" in page.inner_text("main") and "Vacation reply" in page.inner_text("main")
    assert not scrolls_sideways(page)
    screenshot(page, f"webmail-rules-import{suffix}")

    page.fill("textarea[name=script]", script.replace("Invoices", "Imported"))
    page.check("input[name=replace]")
    page.click("button:has-text('Import')")
    page.wait_for_url("**/mail/settings/rules/")
    assert list(MailRule.objects.filter(account=alice).values_list("name", flat=True)) == ["Imported"]
    assert page.errors == [] and page.csp_reports == []
