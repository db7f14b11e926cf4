"""The panel's Deleted mail page in Chromium: an admin recovers a user's message from the
account page, at 1366×800 and on a 390×844 phone without sideways scrolling."""
import pytest

from mailcore.directory.services import create_account, create_domain
from mailcore.store.append import append
from mailcore.store.messages import expunge, store_flags
from mailcore.store.models import Message
from tests.conftest import PASSWORD

from .conftest import sign_in_admin
from .screenshots import DESKTOP, PHONE, screenshot, scrolls_sideways

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("size", "suffix"), [(DESKTOP, ""), (PHONE, "-phone")])
def test_an_admin_recovers_a_users_deleted_message(page, size, suffix):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("admin", email="", password=PASSWORD)
    create_domain("công-ty.vn")
    account = create_account("an@công-ty.vn", PASSWORD)
    uid = append(account.pk, "INBOX", "From: Bình <binh@example.net>\r\nSubject: Hợp đồng quý 4\r\n\r\nx\r\n"
                 .encode()).uid
    store_flags(account.pk, "INBOX", [uid], ["\\Deleted"])
    expunge(account.pk, "INBOX", [uid])

    page.set_viewport_size(size)
    sign_in_admin(page, "admin")
    page.goto(f"/panel/accounts/{account.pk}/")
    page.click("text=Deleted mail")
    page.check("tr:has-text('Hợp đồng quý 4') input[type=checkbox]")
    screenshot(page, f"panel-deleted-mail{suffix}")
    assert not scrolls_sideways(page)
    page.click("main button:text-is('Recover')")
    page.wait_for_selector("text=1 message was recovered.")
    assert Message.objects.get(account=account).subject == "Hợp đồng quý 4"
    assert page.errors == [] and page.csp_reports == []
