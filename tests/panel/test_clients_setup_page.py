"""The panel's setup page and Apple profile per account: who may see them, and what they say."""
import plistlib
import re

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def unsigned_profiles(settings):
    settings.HOPTHU_SIGN_PROFILES = False  # read the plist directly (signing: test_clientsetup_mobileconfig)


def setup_url(account):
    return reverse("panel:client_setup", args=[account.pk])


def profile_url(account):
    return reverse("panel:client_profile", args=[account.pk])


@pytest.mark.parametrize("url", [setup_url, profile_url])
def test_signed_out_visitors_are_sent_to_sign_in(client, alice, url):
    response = client.get(url(alice))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("url", [setup_url, profile_url])
def test_mail_users_are_refused(client, alice, url):
    client.force_login(alice.user)

    assert client.get(url(alice)).status_code == 403


@pytest.mark.parametrize("url", [setup_url, profile_url])
def test_a_domain_admin_cannot_see_another_domains_account(owner_client, charlie, url):
    assert owner_client.get(url(charlie)).status_code == 404


def test_an_unknown_account_is_not_found(super_client, db):
    assert super_client.get(reverse("panel:client_setup", args=[999999])).status_code == 404


def test_the_page_lists_every_server_port_and_tls_mode(owner_client, alice, settings):
    settings.HOPTHU_HOSTNAME = "mail.example.net"
    settings.HOPTHU_PORTS = {**settings.HOPTHU_PORTS, "imaps": 993, "imap": 143, "pop3s": 995, "pop3": 110,
                             "submissions": 465, "submission": 587}

    response = owner_client.get(setup_url(alice))

    assert response.status_code == 200
    html = response.content.decode()
    rows = re.findall(r"<th scope=\"row\">(\w+).*?<td class=\"num\">(\d+)</td>\s*<td>([\w/]+)</td>", html, re.S)
    assert rows == [("IMAP", "993", "SSL/TLS"), ("IMAP", "143", "STARTTLS"), ("POP3", "995", "SSL/TLS"),
                    ("POP3", "110", "STARTTLS"), ("SMTP", "465", "SSL/TLS"), ("SMTP", "587", "STARTTLS")]
    assert "mail.example.net" in html
    assert "alice@example.test" in html
    for client_name in ("Thunderbird", "Outlook", "Apple Mail", "Gmail", "K-9 Mail", "FairEmail"):
        assert client_name in html
    assert "app password" in html
    assert profile_url(alice) in html


def test_the_page_obeys_the_strict_csp(owner_client, alice):
    html = owner_client.get(setup_url(alice)).content.decode()

    assert " style=" not in html and "onclick" not in html
    assert not re.search(r"<script(?![^>]*\ssrc=)", html)


def test_a_superadmin_sees_any_domains_account(super_client, charlie):
    assert super_client.get(setup_url(charlie)).status_code == 200


def test_the_profile_downloads_as_an_apple_configuration(owner_client, alice):
    response = owner_client.get(profile_url(alice))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-apple-aspen-config"
    assert response["Content-Disposition"] == 'attachment; filename="example.test.mobileconfig"'
    profile = plistlib.loads(response.content)
    assert profile["PayloadContent"][0]["EmailAddress"] == "alice@example.test"
    assert PASSWORD.encode() not in response.content


def test_the_page_is_in_vietnamese_when_asked(owner_client, alice):
    response = owner_client.get(setup_url(alice), HTTP_ACCEPT_LANGUAGE="vi")

    assert response.status_code == 200
    assert response.headers["Content-Language"] == "vi"
