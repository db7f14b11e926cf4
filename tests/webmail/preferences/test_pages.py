"""Every settings page opens for the signed-in account, and only for a mail account."""
import pytest

pytestmark = pytest.mark.django_db

PAGES = ["settings", "settings_profile", "settings_display", "settings_vacation", "settings_forwarding",
         "settings_app_passwords", "settings_security"]


@pytest.mark.parametrize("name", PAGES)
def test_each_page_opens_with_the_settings_menu(alice_client, name):
    from django.urls import reverse

    response = alice_client.get(reverse(f"webmail:{name}"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-current="page"' in html
    assert reverse("webmail:settings_vacation") in html


@pytest.mark.parametrize("name", PAGES)
def test_each_page_asks_for_sign_in(client, name):
    from django.urls import reverse

    response = client.get(reverse(f"webmail:{name}"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_security_page_links_to_password_two_factor_and_sessions(alice_client):
    html = alice_client.get("/mail/settings/security/").content.decode()
    for url in ("/accounts/password/change/", "/accounts/2fa/", "/accounts/sessions/"):
        assert f'href="{url}"' in html


def test_no_inline_script_or_style(alice_client):
    for path in ("/mail/settings/", "/mail/settings/vacation/", "/mail/settings/app-passwords/"):
        html = alice_client.get(path).content.decode()
        assert "style=" not in html and "onclick" not in html and "<script>" not in html
