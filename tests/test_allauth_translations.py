"""Vietnamese for django-allauth's pages (locale/allauth/vi/LC_MESSAGES/django.po).

allauth ships no Vietnamese; the catalog is ours, made by locale/allauth/update_vi.py
(docs/i18n.md, "django-allauth's pages"). The .mo is compiled by the session fixture of
tests/test_translations.py, the way `make run` does.
"""
import importlib.util
import re
from collections import Counter
from pathlib import Path

import pytest
from django.utils import translation

from tests.conftest import PASSWORD
from tests.test_translations import (  # noqa: F401  (fixtures are used by name)
    compiled_messages,
    placeholders,
    read_catalog,
    restore_language,
)

ROOT = Path(__file__).resolve().parent.parent
ALLAUTH_PO = ROOT / "locale" / "allauth" / "vi" / "LC_MESSAGES" / "django.po"

BRACE = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")  # str.format fields: "Marked {email} as verified."
TAG = re.compile(r"<[^>]+>")


@pytest.fixture(scope="session")
def aa_catalog():
    return read_catalog(ALLAUTH_PO)


def entries(catalog):
    """(msgids, msgstrs) of every entry but the header, as tuples."""
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        yield message, ids, strings


def vi(catalog, msgid, **params):
    message = catalog.get(msgid)
    assert message is not None, f"{msgid!r} is not in {ALLAUTH_PO.name}"
    assert message.string and message.string != msgid
    return message.string % params if params else message.string


def load_update_script():
    path = ROOT / "locale" / "allauth" / "update_vi.py"
    spec = importlib.util.spec_from_file_location("allauth_update_vi", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- the catalog --------------------------------------------------------------------------

def test_header(aa_catalog):
    headers = dict(aa_catalog.mime_headers)
    assert not aa_catalog.fuzzy
    assert headers["Language"] == "vi"
    assert headers["Project-Id-Version"].startswith("HopThu (django-allauth ")
    assert headers["Plural-Forms"].replace(" ", "") == "nplurals=1;plural=0;"
    assert headers["Content-Type"].replace(" ", "").lower() == "text/plain;charset=utf-8"
    assert aa_catalog.num_plurals == 1


def test_every_entry_translated(aa_catalog):
    untranslated = [m.id for m, _ids, strings in entries(aa_catalog) if not all(strings)]
    fuzzy = [m.id for m, _ids, _strings in entries(aa_catalog) if m.fuzzy]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy: {fuzzy}"
    assert not aa_catalog.obsolete
    assert all(len(strings) == 1 for _m, _ids, strings in entries(aa_catalog))  # nplurals=1


def test_placeholders_and_html_kept(aa_catalog):
    problems = []
    for message, ids, strings in entries(aa_catalog):
        # The plural msgid is what a one-form language follows; the singular's count too.
        wanted = Counter(placeholders(ids[-1]))
        for extra in ids[:-1]:
            wanted |= Counter(placeholders(extra))
        for string in strings:
            if set(placeholders(string)) != set(wanted):
                problems.append(("%", message.id, string))
            if any(not p.startswith("%(") for p in wanted) and placeholders(string) != placeholders(ids[-1]):
                problems.append(("positional %", message.id, string))
            if sorted(BRACE.findall(string)) != sorted(BRACE.findall(ids[-1])):
                problems.append(("{}", message.id, string))
            if TAG.findall(string) != TAG.findall(ids[-1]):
                problems.append(("html", message.id, string))
            if string.count("\n") != ids[-1].count("\n"):
                problems.append(("lines", message.id, string))
    assert not problems, problems


def test_catalog_matches_installed_allauth(aa_catalog):
    """The entries are exactly what update_vi.py keeps from the installed allauth's catalog:
    after an allauth upgrade, rerun it (and translate what comes out empty)."""
    update = load_update_script()
    built = update.build(aa_catalog)
    key = update.msgid_key
    have = {(key(m), m.context) for m in aa_catalog if m.id}
    want = {(key(m), m.context) for m in built if m.id}
    assert have == want, f"missing {want - have}, no longer in allauth {have - want}"
    assert ("Sign In", None) in have
    assert ("Sign in with a passkey", None) not in have  # passkeys are off
    assert ("Reset My Password", None) not in have  # HopThu's own template: locale/vi


# --- the pages ----------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.usefixtures("compiled_messages")
def test_login_page_in_vietnamese(client, aa_catalog):
    # LocaleMiddleware picks the request's language, so the browser asks for Vietnamese too.
    with translation.override("vi"):
        response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="vi"' in html
    sign_in = vi(aa_catalog, "Sign In")
    assert sign_in == "Đăng nhập"
    assert re.search(rf"<h1[^>]*>\s*{sign_in}\s*</h1>", html), "heading"
    assert re.search(rf"<button[^>]*type=\"submit\"[^>]*>\s*{sign_in}\s*</button>", html), "button"
    assert f"<title>{sign_in}" in re.sub(r"<title>\s+", "<title>", html)
    assert vi(aa_catalog, "Forgot your password?") == "Quên mật khẩu?"
    assert "Quên mật khẩu?" in html
    assert vi(aa_catalog, "Remember Me") in html
    assert vi(aa_catalog, "Password") in html
    for english in ("Sign In", "Forgot your password?", "Remember Me"):
        assert english not in html


@pytest.mark.django_db
@pytest.mark.usefixtures("compiled_messages")
def test_login_page_stays_english_for_english(client):
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Sign In" in html
    assert "Forgot your password?" in html
    assert "Đăng nhập" not in html


@pytest.mark.django_db
@pytest.mark.usefixtures("compiled_messages")
def test_failed_sign_in_error_in_vietnamese(client, alice, aa_catalog):
    response = client.post("/accounts/login/", {"login": "alice@example.test", "password": "wrong"},
                           HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    html = response.content.decode()
    assert vi(aa_catalog, "The username and/or password you specified are not correct.") in html


@pytest.mark.django_db
@pytest.mark.usefixtures("compiled_messages")
@pytest.mark.parametrize(("url", "msgids"), [
    ("/accounts/password/change/", ["Change Password", "Current Password", "New Password"]),
    ("/accounts/2fa/", ["Two-Factor Authentication", "Authenticator App", "Activate"]),
    ("/accounts/logout/", ["Sign Out", "Are you sure you want to sign out?"]),
])
def test_signed_in_pages_in_vietnamese(client, alice, aa_catalog, url, msgids):
    client.force_login(alice.user)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    html = response.content.decode()
    for msgid in msgids:
        assert vi(aa_catalog, msgid) in html, msgid


@pytest.mark.django_db
@pytest.mark.usefixtures("compiled_messages")
def test_reauthentication_page_in_vietnamese(client, alice, aa_catalog):
    client.post("/accounts/login/", {"login": "alice@example.test", "password": PASSWORD})
    client.cookies["django_language"] = "vi"  # the user's own choice (/i18n/setlang/)
    response = client.get("/accounts/reauthenticate/")
    assert response.status_code == 200
    html = response.content.decode()
    assert vi(aa_catalog, "Confirm Access") in html
    assert vi(aa_catalog, "Enter your password:") in html
