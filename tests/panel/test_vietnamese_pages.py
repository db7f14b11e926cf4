"""Pages read in Vietnamese hold no English a translator already translated: every text a
person reads (text, menu labels, filled-in fields) is compared with the catalog's English
msgids, so a string shown without gettext, or a stored English name (a special folder's
IMAP name, an audit action's code) shown as it is, fails here. Folder menus and the
audit log's actions are checked by name too."""
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.test import Client
from django.urls import reverse

from mailcore.audit.log import record
from mailcore.directory import services
from mailcore.store.append import append
from mailcore.store.folders import create_folder
from tests.panel.test_idn_read_in_unicode import VisibleText
from tests.test_translations import compiled_messages  # noqa: F401 (the .mo files, compiled)
from webmail.models import preferences_for

VI_PO = Path(__file__).resolve().parents[2] / "locale" / "vi" / "LC_MESSAGES" / "django.po"
# English that Vietnamese keeps as it is: the translation is the same word.
SAME_IN_BOTH = {"Cc", "Bcc", "English", "DKIM", "IMAP", "POP3", "SMTP", "OK"}


@pytest.fixture(scope="module")
def english():
    """msgid → Vietnamese, for the entries whose Vietnamese differs from the English."""
    with VI_PO.open("rb") as po:
        catalog = read_po(po, locale="vi")
    return {message.id: message.string for message in catalog
            if isinstance(message.id, str) and message.id and message.string and message.string != message.id
            and message.id not in SAME_IN_BOTH}


def read_texts(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return [" ".join(part.split()) for part in parser.parts if part.strip()]


def english_on(client, urls, english) -> list[str]:
    found = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Language"] == "vi", url
        found += [f"{url}: {text!r}" for text in read_texts(response.content.decode()) if text in english]
    return found


@pytest.fixture
def vi_alice(alice, compiled_messages):  # noqa: F811
    preferences = preferences_for(alice)
    preferences.language = "vi"
    preferences.save()
    create_folder(alice.pk, "Dự án")
    append(alice.pk, "INBOX", b"From: Bob <bob@example.test>\r\nTo: alice@example.test\r\nSubject: Hi\r\n\r\nHi\r\n")
    client = Client()
    client.force_login(alice.user)
    return client


def test_webmail_pages_show_no_english(vi_alice, english):
    inbox = vi_alice.get("/mail/").url
    urls = [inbox, f"{inbox}1/", f"{inbox}1/reply/", "/mail/compose/", "/mail/search/?q=Hi", "/mail/folders/",
            "/mail/scheduled/", "/mail/quarantine/", "/mail/settings/", "/mail/settings/display/",
            "/mail/settings/profile/", "/mail/settings/vacation/", "/mail/settings/forwarding/",
            "/mail/settings/security/", "/mail/settings/app-passwords/", "/mail/settings/import/"]
    assert english_on(vi_alice, urls, english) == []


def test_folder_menus_name_the_special_folders_in_vietnamese(vi_alice, english):
    inbox = vi_alice.get("/mail/").url
    for url in (inbox, f"{inbox}1/", "/mail/folders/"):
        html = vi_alice.get(url).content.decode()
        for name in ("Archive", "Drafts", "Junk", "Sent", "Trash"):
            assert f">{name}<" not in html, (url, name)
            assert f">{english[name]}<" in html, (url, name)
        assert ">Dự án<" in html


@pytest.fixture
def vi_admin(superadmin, alice, compiled_messages):  # noqa: F811
    services.create_alias("info@example.test", ["alice@example.test"])
    for action in ("alias.create", "account.create", "domain.update", "quarantine.release", "account.password"):
        record(superadmin, action, action.split(".")[0], "info@example.test", domain="example.test")
    client = Client()
    client.force_login(superadmin)
    client.cookies["django_language"] = "vi"
    return client


def test_panel_pages_show_no_english(vi_admin, alice, english):
    names = ["panel:home", "panel:domain_list", "panel:account_list", "panel:alias_list", "panel:delivery_log",
             "panel:queue", "panel:stats", "panel:storage", "panel:audit_log", "panel:filter_policy_list",
             "panel:quarantine_list", "panel:listeners", "panel:admin_list", "panel:account_create",
             "panel:alias_create", "panel:migration_list", "panel:migration_create", "panel:backups"]
    from mailcore.migration.jobs import create_job

    job = create_job(host="127.0.0.1", port=143, security="plain", accounts=[("an@old.test", "pw", alice)],
                     dispatch=False)
    urls = [reverse(name) for name in names] + [reverse("panel:migration_detail", args=[job.pk]),
        reverse("panel:domain_detail", args=["example.test"]), reverse("panel:account_detail", args=[alice.pk]),
        reverse("panel:rule_list", args=[alice.pk]), reverse("panel:dns_records", args=["example.test"])]
    assert english_on(vi_admin, urls, english) == []


def test_the_audit_log_names_its_actions_in_vietnamese(vi_admin, english):
    """The filter menu's labels come from the one table of actions (panel/activity/
    audit_sentences.py); the entries themselves are sentences, in Vietnamese too."""
    html = vi_admin.get(reverse("panel:audit_log")).content.decode()
    for code, label in (("alias.create", "Alias created"), ("account.password", "Password changed"),
                        ("quarantine.release", "Held mail released")):
        assert f'<option value="{code}">{english[label]}</option>' in html
    assert "<code>alias.create</code>" not in html and ">alias.create<" not in html
