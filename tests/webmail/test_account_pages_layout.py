"""The password, two-factor and sessions pages (django-allauth's) inside the webmail's layout:
the folder list, the search and the settings around them for a mail user; a plain shell for
an administrator without a mailbox; the sign-in page keeps its own layout."""
import pytest

pytestmark = pytest.mark.django_db

PAGES = {"password": "/accounts/password/change/", "two-factor": "/accounts/2fa/", "sessions": "/accounts/sessions/"}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_a_mail_user_sees_them_in_the_webmail(alice_client, name):
    response = alice_client.get(PAGES[name])
    assert response.status_code == 200
    html = response.content.decode()
    assert '<nav id="wm-sidebar"' in html and 'class="wm-search"' in html
    # the unread counts keep up; the browser's time zone is reported from these pages too
    assert '<body class="webmail" data-poll-url="/mail/poll/" data-time-zone-url="/mail/' in html
    assert 'href="/mail/settings/security/" aria-current="page">' in html
    assert f'href="{PAGES[name]}" aria-current="page">' in html  # its tab
    assert 'class="signin-main"' not in html


def test_the_inbox_count_is_in_the_sidebar_there_too(alice_client, alice):
    from tests.webmail.reading.mails import message, put

    folder_id, _uid = put(alice, message(text="unread"))
    html = alice_client.get(PAGES["sessions"]).content.decode()
    assert f'data-unread-for="{folder_id}">1<' in html


def test_the_page_title_is_the_pages_own(alice_client):
    html = alice_client.get(PAGES["sessions"]).content.decode()
    assert "<title>Sessions · HopThu</title>" in html


def test_an_admin_without_a_mailbox_gets_them_without_folders(db):
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.create_superuser("root", email="", password="x"))
    for url in PAGES.values():
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "wm-sidebar" not in html and "wm-search" not in html and "data-poll-url" not in html
        assert "data-time-zone-url=" in html  # an admin's zone is the browser's too (kept in the session)
        assert 'class="account-tabs"' in html and 'href="/panel/" class="brand"' in html


def test_a_disabled_account_gets_no_folders(alice_client, alice):
    alice.active = False
    alice.save()
    html = alice_client.get(PAGES["sessions"]).content.decode()
    assert "wm-sidebar" not in html


def test_sign_in_keeps_its_own_page(client):
    html = client.get("/accounts/login/").content.decode()
    assert 'class="signin-main"' in html and "wm-sidebar" not in html
