#!/usr/bin/env python3
"""Rebuild locale/allauth/vi/LC_MESSAGES/django.po from django-allauth's English catalog.

django-allauth ships no Vietnamese. This keeps the entries of allauth's own catalog
(allauth/locale/en/LC_MESSAGES/django.po, which lists every msgid with its source
locations) that HopThu's sign-in, password, two-factor and sessions pages can show, and
carries over the Vietnamese already in our file. New entries come out untranslated, and
entries allauth dropped are left out; tests/test_allauth_translations.py fails until
every entry is translated. See docs/i18n.md, "django-allauth's pages".

    .venv/bin/python locale/allauth/update_vi.py            # rewrite the .po
    .venv/bin/python locale/allauth/update_vi.py --check    # list what changed, write nothing
"""
import sys
from datetime import UTC, datetime
from pathlib import Path

import allauth
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

HERE = Path(__file__).resolve().parent
VI_PO = HERE / "vi" / "LC_MESSAGES" / "django.po"
EN_PO = Path(allauth.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"
PROJECT = f"HopThu (django-allauth {allauth.__version__} pages)"

HEADER = f"""\
# Vietnamese for django-allauth's pages as HopThu uses them: sign-in, sign-out, password
# change / reset / set, reauthentication, two-factor (TOTP and recovery codes), the e-mail
# page and user sessions. allauth ships no Vietnamese; settings.LOCALE_PATHS lists
# locale/allauth after locale/, so the project's own catalog wins where both translate.
#
# Made by locale/allauth/update_vi.py from allauth {allauth.__version__}'s
# locale/en/LC_MESSAGES/django.po: entries whose source locations are in the parts HopThu
# uses (see KEEP, SKIP and SKIP_IDS there), then translated by hand. Rerun it after an
# allauth upgrade and translate what comes out empty (docs/i18n.md).
#"""

# Source locations (relative to the allauth package) HopThu uses.
KEEP = (
    "account/", "mfa/", "usersessions/", "core/", "utils/",
    "templates/account/", "templates/mfa/", "templates/usersessions/", "templates/allauth/",
)

# Locations inside KEEP that HopThu never shows: features it leaves off
# (config/settings.py) and templates it overrides (templates/, whose strings live in
# locale/vi/LC_MESSAGES/django.po).
SKIP = (
    # webauthn / passkeys and "trust this browser" (MFA_SUPPORTED_TYPES = totp, recovery_codes)
    "mfa/webauthn/", "templates/mfa/webauthn/", "templates/mfa/trust.html",
    "templates/mfa/email/webauthn_", "templates/mfa/messages/webauthn_",
    # phone numbers and SMS
    "templates/account/confirm_phone_verification_code.html",
    "templates/account/phone_change.html", "templates/account/messages/phone_",
    # codes instead of links: login by code, password reset by code, e-mail verification by code
    "templates/account/base_confirm_code.html", "templates/account/confirm_",
    "templates/account/request_login_code.html",
    "templates/account/request_reauthentication_code.html",
    "templates/account/email/login_code_", "templates/account/email/password_reset_code_",
    "templates/account/messages/login_code_sent.txt",
    # sign-up (the adapter closes it: only signup_closed.html is shown)
    "templates/account/signup.html", "templates/account/signup_by_passkey.html",
    "templates/account/email/account_already_exists_",
    # ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False, ACCOUNT_CHANGE_EMAIL off, no verified_email_required
    "templates/account/email/unknown_account_", "templates/account/email_change.html",
    "templates/account/verified_email_required.html",
    # overridden by HopThu's templates/
    "templates/allauth/layouts/base.html", "templates/account/password_reset.html",
    "templates/usersessions/usersession_list.html",
)

# Entries from kept files that serve only the features above.
SKIP_IDS = {
    # phone
    "The phone number and/or password you specified are not correct.",
    "A user is already registered with this phone number.",
    "The phone number is not assigned to any user account.",
    "Enter a phone number including country code (e.g. +1 for the US).",
    "Phone",
    # login methods other than the username (ACCOUNT_LOGIN_METHODS = {"username"})
    "Username, email or phone", "Username or email", "Username or phone", "Email or phone",
    # sign-up form fields
    "Email (again)", "Email address confirmation", "Email (optional)", "Username (optional)",
    "You must type the same email each time.",
    # login by code or passkey, e-mail verification by code
    "Send me a sign-in code", "Sign in with a passkey",
    "Your email verification code is listed below. Please enter it in your open browser window.",
    # webauthn
    "Use a security key", "Master key", "Backup key", "Key nr. {number}", "WebAuthn",
    "Security Keys", "No security keys have been added.", "Manage", "Add",
    "You have added %(count)s security key.",
}


def msgid_key(message):
    return message.id[0] if isinstance(message.id, tuple) else message.id


def wanted(message):
    if not message.id or msgid_key(message) in SKIP_IDS:
        return False
    return any(path.startswith(KEEP) and not path.startswith(SKIP)
               for path, _line in message.locations)


def build(old):
    with EN_PO.open("rb") as f:
        english = read_po(f)
    project, version = PROJECT.rsplit(" ", 1)
    catalog = Catalog(
        locale="vi", project=project, version=version, header_comment=HEADER, fuzzy=False,
        creation_date=english.creation_date, revision_date=datetime.now(UTC),
        last_translator="HopThu", language_team="HopThu",
    )
    for message in english:
        if not wanted(message):
            continue
        previous = old.get(message.id, message.context) if old is not None else None
        if previous is not None and not previous.fuzzy:
            string = previous.string
        else:
            string = ("",) if isinstance(message.id, tuple) else ""
        catalog.add(message.id, string, locations=message.locations, context=message.context,
                    flags=message.flags - {"fuzzy"})
    if old is not None and content(old) == content(catalog):
        catalog.revision_date = old.revision_date  # nothing changed: no date-only diff
    return catalog


def content(catalog):
    return [(m.id, m.context, m.string, m.locations, sorted(m.flags)) for m in catalog if m.id]


def main(argv):
    old = None
    if VI_PO.exists():
        with VI_PO.open("rb") as f:
            old = read_po(f, locale="vi")
    catalog = build(old)
    old_ids = {(msgid_key(m), m.context) for m in old or () if m.id}
    new_ids = {(msgid_key(m), m.context) for m in catalog if m.id}
    untranslated = [msgid_key(m) for m in catalog
                    if m.id and not all(m.string if isinstance(m.string, tuple) else (m.string,))]
    for label, ids in (("new", new_ids - old_ids), ("dropped", old_ids - new_ids)):
        for msgid, context in sorted(ids, key=str):
            print(f"{label}: {msgid!r}" + (f" (context {context!r})" if context else ""))
    print(f"{len(new_ids)} entries, {len(untranslated)} untranslated")
    if "--check" not in argv:
        VI_PO.parent.mkdir(parents=True, exist_ok=True)
        with VI_PO.open("wb") as f:
            write_po(f, catalog, width=0)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
