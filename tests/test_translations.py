"""The Vietnamese catalog: complete, placeholder-safe, compiled and used by the running site.

The .mo files are not committed (they are git-ignored), so a session fixture compiles them
with scripts/compilemessages.py first, the way `make run` does on a fresh clone.
"""
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.core.exceptions import ValidationError
from django.test.signals import language_changed
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
VI_PO = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"
CATALOGS = sorted(p for p in (ROOT / "locale").glob("*/LC_MESSAGES/*.po"))

# printf-style conversions as Python's % operator reads them: %(name)s, %s, %5.2f, %d ...
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrsa%]")


def placeholders(text):
    return [p for p in PLACEHOLDER.findall(text) if p != "%%"]


def read_catalog(path):
    with path.open("rb") as f:
        return read_po(f, locale=path.parent.parent.name)


@pytest.fixture(scope="session")
def vi_catalog():
    return read_catalog(VI_PO)


@pytest.fixture(scope="session")
def compiled_messages():
    """Compile every .po to .mo, then make Django forget translations it loaded before."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "compilemessages.py")],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, f"compilemessages failed:\n{result.stdout}{result.stderr}"
    assert VI_PO.with_suffix(".mo").exists()
    # A test that ran earlier may have cached a catalog loaded without our .mo.
    language_changed(setting="LOCALE_PATHS")
    yield
    language_changed(setting="LOCALE_PATHS")


@pytest.fixture(autouse=True)
def restore_language():
    """Put back the active language: LocaleMiddleware activates the request's language in
    this thread and never deactivates it, so a Vietnamese request would leak into later tests."""
    language = translation.get_language()
    yield
    translation.activate(language)


def vi(catalog, msgid, **params):
    """The Vietnamese text the catalog holds for msgid, formatted like the code does."""
    message = catalog.get(msgid)
    assert message is not None, f"{msgid!r} is not in {VI_PO.name}"
    return message.string % params if params else message.string


# --- (a) the catalog itself ------------------------------------------------------------------

def test_vietnamese_catalog_exists():
    assert VI_PO in CATALOGS


def test_vietnamese_header(vi_catalog):
    assert not vi_catalog.fuzzy, "the header is still marked fuzzy"
    assert str(vi_catalog.locale) == "vi"
    assert vi_catalog.mime_headers  # parsed at all
    headers = dict(vi_catalog.mime_headers)
    assert headers["Language"] == "vi"
    assert headers["Content-Type"].replace(" ", "").lower() == "text/plain;charset=utf-8"
    assert headers["Plural-Forms"].replace(" ", "") == "nplurals=1;plural=0;"
    assert vi_catalog.num_plurals == 1


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_entry_translated_and_not_fuzzy(po):
    catalog = read_catalog(po)
    untranslated, fuzzy = [], []
    for message in catalog:
        if not message.id:  # the header
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            untranslated.append(message.id)
        if message.fuzzy:
            fuzzy.append(message.id)
    assert not untranslated, f"untranslated in {po.name}: {untranslated}"
    assert not fuzzy, f"fuzzy in {po.name}: {fuzzy}"
    assert not catalog.obsolete, f"obsolete #~ entries left in {po.name}: {list(catalog.obsolete)}"


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_placeholders_kept(po):
    catalog = read_catalog(po)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        # The plural msgid is what a one-form language like Vietnamese must follow.
        source = placeholders(ids[-1])
        wanted = Counter(source)
        for extra in ids[:-1]:
            wanted |= Counter(placeholders(extra))
        named = any(p.startswith("%(") for p in source)
        for string in strings:
            found = placeholders(string)
            if named:
                # Named placeholders may move around; each must survive and none be invented.
                if set(found) != set(wanted):
                    problems.append((message.id, string))
            elif found != source:
                # Positional ones are filled in order, so order and count must match.
                problems.append((message.id, string))
    assert not problems, f"placeholder mismatch in {po.name}: {problems}"


def test_placeholder_regex():
    assert placeholders("%(name)s has %(count)d of %s, %5.1f%% and %d") == [
        "%(name)s", "%(count)d", "%s", "%5.1f", "%d"]


# --- (b) Django finds and uses the compiled catalog -----------------------------------------

@pytest.mark.usefixtures("compiled_messages")
@pytest.mark.parametrize("msgid", [
    "The domain %(name)s is not hosted here.",
    "The mailbox is full (%(used)s of %(quota)s used).",
    "Control panel",
    "Vietnamese",
])
def test_gettext_returns_vietnamese(vi_catalog, msgid):
    with translation.override("vi"):
        text = translation.gettext(msgid)
    assert text == vi(vi_catalog, msgid)
    assert text != msgid
    with translation.override("en"):
        assert translation.gettext(msgid) == msgid


@pytest.mark.usefixtures("compiled_messages")
def test_domain_not_hosted_message_in_vietnamese():
    with translation.override("vi"):
        text = translation.gettext("The domain %(name)s is not hosted here.") % {"name": "example.test"}
    assert text == "Tên miền example.test không được lưu trữ tại đây."


@pytest.mark.django_db
@pytest.mark.usefixtures("compiled_messages")
def test_service_validation_error_in_vietnamese(vi_catalog):
    from mailcore.directory.services import get_account

    with translation.override("vi"), pytest.raises(ValidationError) as excinfo:
        get_account("alice@not-hosted.test")
    messages = excinfo.value.message_dict["address"]
    assert messages == [vi(vi_catalog, "The domain %(domain)s is not hosted here.", domain="not-hosted.test")]


# --- (c) pages rendered for a Vietnamese browser -------------------------------------------

@pytest.fixture
def client(client, settings):
    """The test client, with static URLs that need no collectstatic manifest."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    return client


@pytest.mark.django_db
@pytest.mark.usefixtures("compiled_messages")
def test_panel_page_in_vietnamese(admin_client, vi_catalog):
    response = admin_client.get("/panel/", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    assert response["Content-Language"] == "vi"
    html = response.content.decode()
    assert 'lang="vi"' in html
    assert vi(vi_catalog, "Control panel") in html
    assert vi(vi_catalog, "Domains") in html
    assert ">Domains<" not in html


@pytest.mark.django_db
@pytest.mark.usefixtures("compiled_messages")
def test_panel_page_in_english(admin_client):
    response = admin_client.get("/panel/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="en"' in html
    assert "Control panel" in html


@pytest.mark.django_db
@pytest.mark.usefixtures("compiled_messages")
def test_webmail_page_in_vietnamese(client, alice, vi_catalog):
    client.force_login(alice.user)
    response = client.get("/mail/", HTTP_ACCEPT_LANGUAGE="vi", follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="vi"' in html
    for text in ("Inbox", "Compose", "Manage folders", "No messages here."):
        assert vi(vi_catalog, text) in html


@pytest.mark.django_db
@pytest.mark.usefixtures("compiled_messages")
def test_language_cookie_beats_the_browser(admin_client, vi_catalog):
    # The user's explicit choice (set_language stores it in a cookie) wins over Accept-Language.
    response = admin_client.post("/i18n/setlang/", {"language": "vi", "next": "/panel/"})
    assert response.status_code == 302
    response = admin_client.get("/panel/", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "vi"
    assert vi(vi_catalog, "Control panel") in response.content.decode()
