"""What a new password ends (docs/security.md, "Mail clients and the second factor"):
a reset — allauth's link or the panel's — revokes the app passwords and signs out every
browser session; a change by the user signs out the other sessions and keeps this one."""
import imaplib
import re

import pytest
from django.core.cache import cache
from django.test import Client

from mailcore.delivery.local import deliver_due_local
from mailcore.directory.models import AppPassword
from mailcore.directory.services import create_app_password
from tests.conftest import PASSWORD
from tests.webmail.test_password_reset import reset_mail_in

NEW_PASSWORD = "a brand new passphrase 42"


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    settings.EMAIL_BACKEND = "mailcore.delivery.django_mail.EmailBackend"
    cache.clear()
    yield
    cache.clear()


def browser(agent):
    signed_in = Client(HTTP_USER_AGENT=agent)
    response = signed_in.post("/accounts/login/", {"login": "alice@example.test", "password": PASSWORD})
    assert response.status_code == 302
    assert signed_in.get("/mail/settings/").status_code == 200
    return signed_in


def reset_by_link(alice, bob):
    from webmail.preferences.recovery import set_recovery_address

    set_recovery_address(alice, "bob@example.test")
    stranger = Client()  # whoever reads the recovery mailbox, in a browser of their own
    stranger.post("/accounts/password/reset/", {"email": "bob@example.test"})
    deliver_due_local()
    link = re.search(r"https?://testserver(/accounts/password/reset/key/\S+/)", reset_mail_in(bob)).group(1)
    page = stranger.get(link, follow=True)
    set_url = page.redirect_chain[-1][0] if page.redirect_chain else link
    assert stranger.post(set_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}).status_code == 302


@pytest.mark.django_db(transaction=True)
def test_rfc5530_after_a_reset_an_old_app_password_no_longer_logs_in_over_imap(alice, bob, settings, tmp_path):
    from mailcore.imap.listeners import FACTORIES
    from tests.support.hosts import running_host

    _row, secret = create_app_password("alice@example.test", "old phone")
    with running_host(settings, tmp_path, FACTORIES, ("imap",)) as host:
        before = imaplib.IMAP4("127.0.0.1", host.ports["imap"], timeout=10)
        assert before.login("alice@example.test", secret)[0] == "OK"  # and now in the credential cache
        before.logout()
        reset_by_link(alice, bob)
        after = imaplib.IMAP4("127.0.0.1", host.ports["imap"], timeout=10)
        try:
            with pytest.raises(imaplib.IMAP4.error, match="AUTHENTICATIONFAILED"):
                after.login("alice@example.test", secret)
            assert after.login("alice@example.test", NEW_PASSWORD)[0] == "OK"
        finally:
            after.logout()
    assert not AppPassword.objects.filter(account=alice).exists()


@pytest.mark.django_db
def test_a_reset_by_link_signs_out_every_browser_session(alice, bob):
    laptop, phone = browser("Laptop browser"), browser("Phone browser")
    reset_by_link(alice, bob)
    assert laptop.get("/mail/settings/").status_code == 302  # back to sign in
    assert phone.get("/mail/settings/").status_code == 302
    from allauth.usersessions.models import UserSession

    assert not UserSession.objects.filter(user=alice.user).exists()  # gone from the list too


@pytest.mark.django_db
def test_the_panels_reset_revokes_app_passwords_and_signs_the_account_out(alice):
    from django.contrib.auth import get_user_model

    from mailcore.auth.credentials import check_credentials
    from mailcore.auth.errors import AuthFailed

    _row, secret = create_app_password("alice@example.test", "phone")
    laptop = browser("Laptop browser")
    admin = Client()
    root = get_user_model().objects.create_superuser("root", password=PASSWORD)
    admin.force_login(root)
    response = admin.post(f"/panel/accounts/{alice.pk}/password/", {"password": NEW_PASSWORD,
                                                                     "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert laptop.get("/mail/settings/").status_code == 302
    with pytest.raises(AuthFailed):
        check_credentials("alice@example.test", secret, "192.0.2.40", "imap")
    assert admin.get(f"/panel/accounts/{alice.pk}/").status_code == 200  # the admin's own session stays


@pytest.mark.django_db
def test_a_change_by_the_user_keeps_this_session_and_signs_out_the_others(alice):
    from allauth.usersessions.models import UserSession

    _row, secret = create_app_password("alice@example.test", "phone")
    laptop, phone = browser("Laptop browser"), browser("Phone browser")
    response = laptop.post("/accounts/password/change/", {
        "oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert laptop.get("/mail/settings/").status_code == 200
    assert phone.get("/mail/settings/").status_code == 302
    sessions = laptop.get("/accounts/sessions/").content.decode()
    assert "Laptop browser" in sessions and "Phone browser" not in sessions
    assert [s.user_agent for s in UserSession.objects.filter(user=alice.user)] == ["Laptop browser"]
    from mailcore.auth.credentials import check_credentials

    # The user knew the old password: the app passwords stay.
    assert check_credentials("alice@example.test", secret, "192.0.2.41", "imap") == alice
