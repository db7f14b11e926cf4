"""/setup/: the signed-in mail user's own setup page and profile, and nobody else's."""
import plistlib

import pytest
from django.urls import reverse

from mailcore.directory.services import set_account_active

PAGE = "/setup/"
PROFILE = "/setup/apple.mobileconfig"


@pytest.fixture(autouse=True)
def unsigned_profiles(settings):
    settings.HOPTHU_SIGN_PROFILES = False  # read the plist directly (signing: test_clientsetup_mobileconfig)


def test_the_urls_are_named():
    assert reverse("client_setup_self") == PAGE
    assert reverse("client_profile_self") == PROFILE


@pytest.mark.parametrize("url", [PAGE, PROFILE])
def test_signed_out_visitors_are_sent_to_sign_in(client, alice, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("url", [PAGE, PROFILE])
def test_a_user_without_a_mailbox_is_refused(owner_client, url):
    assert owner_client.get(url).status_code == 403


@pytest.mark.parametrize("url", [PAGE, PROFILE])
def test_a_disabled_account_is_refused(client, alice, url):
    set_account_active("alice@example.test", False)
    client.force_login(alice.user)

    assert client.get(url).status_code == 403


def test_the_page_shows_the_users_own_settings_in_the_webmail(client, alice, bob):
    client.force_login(alice.user)

    response = client.get(PAGE)

    assert response.status_code == 200
    html = response.content.decode()
    assert "alice@example.test" in html and "bob@example.test" not in html
    assert 'class="webmail"' in html  # the webmail's layout, with its folder list
    assert PROFILE in html
    assert "app password" in html


def test_the_profile_is_the_users_own(client, alice, bob):
    client.force_login(bob.user)

    response = client.get(PROFILE)

    assert response["Content-Type"] == "application/x-apple-aspen-config"
    assert plistlib.loads(response.content)["PayloadContent"][0]["EmailAddress"] == "bob@example.test"


def test_the_page_needs_few_queries(client, alice, django_assert_max_num_queries):
    client.force_login(alice.user)

    with django_assert_max_num_queries(12):
        client.get(PAGE)
