"""The panel's dashboard in Chromium at 1366×800 and on a 390×844 phone: notices first,
figures in cards, nothing wider than the screen, nothing refused by the CSP."""
from datetime import timedelta

import pytest
from django.utils import timezone

from mailcore.directory.services import create_account, create_alias, create_domain
from mailcore.dnsguide.models import DnsCheck
from mailcore.service.models import Heartbeat
from mailcore.service.tls import generate_self_signed
from mailcore.stats import pending
from mailcore.stats.counts import count
from tests.conftest import PASSWORD
from tests.panel.activity_rows import queued

from .conftest import sign_in_admin
from .screenshots import DESKTOP, PHONE, screenshot, scrolls_sideways

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def installation(settings, tmp_path):
    """Two domains (one international) with mail, a silent node and a DNS record missing."""
    from django.contrib.auth import get_user_model

    settings.HOPTHU_TLS_CERT = tmp_path / "cert.pem"
    settings.HOPTHU_HOSTNAME = "mail.công-ty.vn"
    generate_self_signed(tmp_path / "cert.pem", tmp_path / "key.pem", ["mail.xn--cng-ty-ixa.vn"], days=14)
    get_user_model().objects.create_superuser("admin", email="", password=PASSWORD)
    company = create_domain("công-ty.vn")
    create_domain("example.test")
    for user in ("an", "bình", "chi"):
        create_account(f"{user}@công-ty.vn", PASSWORD)
    create_account("alice@example.test", PASSWORD)
    create_alias("info@công-ty.vn", ["an@công-ty.vn"])
    queued("an@công-ty.vn", message_id="1@example.net")
    pending.flush(wait=True)  # the queued recipient counts as received: 1 + 41
    count(company.name, "received", 41)
    count(company.name, "sent", 17)
    DnsCheck.objects.create(domain=company, checked=timezone.now(), problems=[
        {"key": "dmarc", "status": "missing", "rtype": "TXT", "name": f"_dmarc.{company.name}"}])
    now = timezone.now()
    Heartbeat.objects.create(node="mail1:4012", hostname="mail1", pid=4012, started=now - timedelta(days=2),
                             last_seen=now, listeners=[{"name": "smtp", "port": 25}, {"name": "imaps", "port": 993}])
    Heartbeat.objects.create(node="mail2:977", hostname="mail2", pid=977, started=now - timedelta(days=2),
                             last_seen=now - timedelta(minutes=20), listeners=[{"name": "smtp", "port": 25}])


@pytest.mark.parametrize("viewport, name", [(DESKTOP, "panel-dashboard"), (PHONE, "panel-dashboard-phone")])
def test_the_dashboard_fits_the_screen_and_leads_with_what_needs_attention(page, installation, viewport, name):
    page.set_viewport_size(viewport)
    sign_in_admin(page, "admin")
    notices = page.locator(".dash-notice strong").all_inner_texts()
    assert notices[0] == "The mail-core node mail2:977 is silent."
    assert "Virus scanning is off." in notices
    assert "công-ty.vn: 1 DNS record is missing or wrong." in notices
    assert any(text.startswith("The TLS certificate expires in 1") for text in notices)
    figures = dict(zip(page.locator(".dash-figures dt").all_inner_texts(),
                       page.locator(".dash-figures dd").all_inner_texts(), strict=True))
    assert (figures["Domains"], figures["Accounts"], figures["Aliases"]) == ("2", "4", "1")
    assert (figures["Received"], figures["Sent"], figures["Waiting"]) == ("42", "17", "1")
    assert not scrolls_sideways(page)
    cards = page.locator(".dash-card")
    first, second = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
    if viewport is PHONE:  # one column
        assert abs(first["x"] - second["x"]) < 1 and first["width"] > 300
    else:
        assert second["x"] > first["x"] + first["width"]
    screenshot(page, name)
    assert page.csp_reports == []
    assert page.errors == []


def test_a_notice_leads_to_the_page_that_fixes_it(page, installation):
    page.set_viewport_size(DESKTOP)
    sign_in_admin(page, "admin")
    page.locator(".dash-notice", has_text="DNS record is missing").get_by_role("link").click()
    page.wait_for_url("**/panel/dns/**")
    assert "công-ty.vn" in page.locator("h1").inner_text()
