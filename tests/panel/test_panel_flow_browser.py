"""Issue 6's whole flow in Chromium: a superadmin adds a domain, reads its DNS records, adds an
account, an alias and a forward, and mail sent over SMTP to the alias arrives where it should."""
from email.message import EmailMessage

import pytest

from mailcore.directory.models import Account
from mailcore.store.models import Message
from tests.browser.conftest import browser, page, sign_in_admin, web  # noqa: F401 (fixtures)
from tests.conftest import PASSWORD
from tests.mailcore.smtp.conftest import mail_host, mx, wait_for  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _create_account(ui, address):
    localpart, _at, domain = address.partition("@")
    ui.goto("/panel/accounts/new/")
    ui.fill("input[name=localpart]", localpart)
    ui.select_option("select[name=domain]", label=domain)
    ui.fill("input[name=password]", PASSWORD)
    ui.fill("input[name=password2]", PASSWORD)
    ui.click("button:has-text('Create account')")
    ui.wait_for_url("**/panel/accounts/*/")


def test_a_superadmin_sets_up_a_domain_and_mail_to_its_alias_arrives(page, superadmin, mx):  # noqa: F811
    ui = sign_in_admin(page, "root")

    ui.goto("/panel/domains/add/")
    ui.fill("input[name=name]", "cửa-hàng.vn")
    ui.click("button:has-text('Add the domain')")
    ui.wait_for_url("**/panel/domains/*/")
    ui.click("text=DNS records")
    ui.wait_for_url("**/panel/dns/**")
    records = ui.locator("main").inner_text()
    assert "MX" in records and "v=spf1" in records and "v=DKIM1" in records and "_dmarc" in records

    _create_account(ui, "an@cửa-hàng.vn")
    _create_account(ui, "bich@cửa-hàng.vn")
    an = Account.objects.get(localpart="an")
    ui.goto(f"/panel/accounts/{an.pk}/")
    ui.fill("textarea[name=targets]", "bich@cửa-hàng.vn")
    ui.check("input[name=keep_copy]")
    ui.click("button:has-text('Save forwarding')")
    ui.wait_for_load_state()
    assert ui.locator("text=Forwarding saved.").count() == 1

    ui.goto("/panel/accounts/aliases/new/")
    ui.fill("input[name=localpart]", "ban-hang")
    ui.select_option("select[name=domain]", label="cửa-hàng.vn")
    ui.fill("textarea[name=targets]", "an@cửa-hàng.vn")
    ui.click("button:has-text('Create alias')")
    ui.wait_for_url("**/panel/accounts/aliases/")
    assert ui.csp_reports == [] and ui.errors == []

    domain = an.domain.name  # the A-label: plain SMTP without SMTPUTF8
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = "khach@example.net", f"ban-hang@{domain}", "Đặt hàng"
    mail.set_content("Cho tôi hai cái.\n")
    mx.send_message(mail, "khach@example.net", [f"ban-hang@{domain}"])
    wait_for(lambda: Message.objects.filter(subject="Đặt hàng").count() == 2, timeout=15, what="delivery")
    owners = sorted(Message.objects.filter(subject="Đặt hàng").values_list("account__localpart", "folder__name"))
    assert owners == [("an", "INBOX"), ("bich", "INBOX")]  # the alias's target kept a copy and forwarded one
