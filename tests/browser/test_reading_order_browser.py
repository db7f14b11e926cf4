"""Issue 17 points 12 and 16 in Chromium, on a laptop (1366×800) and a phone (390×844):
lists in reading order (u2 before u10, Ả with A, Đ after D) in the panel and the webmail,
and, for a Vietnamese browser, folder names translated in every menu that names them."""
import re

import pytest

from mailcore.directory import services
from mailcore.store.append import append
from mailcore.store.folders import list_folders
from tests.browser.conftest import sign_in, sign_in_admin
from tests.browser.screenshots import DESKTOP, PHONE, screenshot
from tests.conftest import PASSWORD
from tests.panel.conftest import superadmin  # noqa: F401 (fixture)
from tests.webmail.mailbox.conftest import make_raw

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
SCREENS = {"laptop": DESKTOP, "phone": PHONE}
SUBJECTS = ["Yêu cầu báo giá", "Đơn hàng 10", "Dự án", "Ảnh chụp", "Bình luận", "Đơn hàng 2", "Zalo", "Ăn trưa"]
IN_READING_ORDER = ["Ảnh chụp", "Ăn trưa", "Bình luận", "Dự án", "Đơn hàng 2", "Đơn hàng 10", "Yêu cầu báo giá",
                    "Zalo"]


@pytest.fixture
def vietnamese_page(browser, web):
    """A browser that asks for Vietnamese (Accept-Language: vi-VN)."""
    context = browser.new_context(base_url=web, locale="vi-VN", timezone_id="UTC")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.errors, page.csp_reports = [], []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda message: "Content Security Policy" in message.text and
            page.csp_reports.append(message.text))
    yield page
    context.close()


def texts(page, selector) -> list[str]:
    return [text.strip() for text in page.locator(selector).all_inner_texts()]


@pytest.mark.parametrize("screen", SCREENS)
def test_the_panels_accounts_read_u2_before_u10_and_names_in_vietnamese_order(page, superadmin, domain,  # noqa: F811
                                                                             screen):
    for number in (10, 2, 1, 12):
        services.create_account(f"u{number}@example.test", PASSWORD)
    page.set_viewport_size(SCREENS[screen])
    sign_in_admin(page, "root")
    page.goto("/panel/accounts/")
    addresses = [text.split("@")[0] for text in texts(page, "main table tbody tr td:first-child")]
    assert [a for a in addresses if re.fullmatch(r"u\d+", a)] == ["u1", "u2", "u10", "u12"]
    screenshot(page, f"panel-accounts-reading-order-{screen}")
    assert page.errors == [] and page.csp_reports == []


@pytest.mark.parametrize("screen", SCREENS)
def test_the_webmail_sorts_vietnamese_subjects_as_they_are_read(vietnamese_page, alice, screen):
    page = vietnamese_page
    for subject in SUBJECTS:
        append(alice.pk, "INBOX", make_raw(subject=subject))
    page.set_viewport_size(SCREENS[screen])
    sign_in(page, "alice@example.test")
    page.goto(page.url.split("?")[0] + "?sort=subject&dir=asc")
    assert texts(page, "table.messages .subject-text") == IN_READING_ORDER
    page.goto(page.url.split("?")[0] + "?sort=subject&dir=desc")
    assert texts(page, "table.messages .subject-text") == IN_READING_ORDER[::-1]
    screenshot(page, f"webmail-subjects-reading-order-{screen}")
    assert page.errors == [] and page.csp_reports == []


@pytest.mark.parametrize("screen", SCREENS)
def test_a_vietnamese_reader_sees_folder_names_in_vietnamese_in_every_menu(vietnamese_page, alice, screen):
    page = vietnamese_page
    append(alice.pk, "INBOX", make_raw(subject="Chào"))
    page.set_viewport_size(SCREENS[screen])
    sign_in(page, "alice@example.test")
    names = [folder.name for folder in list_folders(alice.pk)]
    assert {"INBOX", "Sent", "Trash"} <= set(names)  # IMAP keeps the English names

    sidebar = " ".join(page.locator("nav .name").all_text_contents())
    assert "Hộp thư đến" in sidebar and "Thùng rác" in sidebar and "INBOX" not in sidebar
    move_menu = " ".join(page.locator("button[name=move_to]").all_text_contents())
    assert "Thùng rác" in move_menu and "Trash" not in move_menu

    page.goto("/mail/settings/rules/add/")
    folder_menu = page.locator("select[name$='-folder']").first.locator("option").all_inner_texts()
    assert "Hộp thư đến" in folder_menu and "Đã gửi" in folder_menu
    assert not {"INBOX", "Sent", "Trash"} & set(folder_menu)
    screenshot(page, f"webmail-rule-folders-vi-{screen}")
    assert page.errors == [] and page.csp_reports == []
