"""Who reaches the accounts area: admins only, and a domain admin only their own domain's accounts."""
import pytest
from django.urls import reverse

from mailcore.directory.models import Account


def account_urls(pk):
    return [reverse("panel:account_detail", args=[pk]), reverse("panel:account_delete", args=[pk])]


POST_ONLY = ["panel:account_password", "panel:account_forward", "panel:app_password_create"]


@pytest.mark.parametrize("name", ["panel:account_list", "panel:account_create", "panel:account_import",
                                  "panel:account_export"])
def test_a_signed_out_visitor_is_sent_to_sign_in(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", ["panel:account_list", "panel:account_create", "panel:account_import",
                                  "panel:account_export"])
def test_a_mail_user_is_refused(client, alice, name):
    client.force_login(alice.user)
    assert client.get(reverse(name)).status_code == 403


def test_a_mail_user_cannot_open_an_account_page(client, alice):
    client.force_login(alice.user)
    for url in account_urls(alice.pk):
        assert client.get(url).status_code == 403


def test_a_domain_admin_gets_404_for_another_domains_account(owner_client, charlie):
    for url in account_urls(charlie.pk):
        assert owner_client.get(url).status_code == 404
    for name in POST_ONLY:
        assert owner_client.post(reverse(name, args=[charlie.pk]), {}).status_code == 404


def test_a_domain_admin_cannot_delete_another_domains_account(owner_client, charlie):
    response = owner_client.post(reverse("panel:account_delete", args=[charlie.pk]),
                                 {"confirm": "charlie@example.org"})
    assert response.status_code == 404
    assert Account.objects.filter(pk=charlie.pk).exists()


def test_a_domain_admin_cannot_change_another_domains_password_or_forward(owner_client, charlie, alice):
    owner_client.post(reverse("panel:account_password", args=[charlie.pk]),
                      {"password": "new secret 12345", "password2": "new secret 12345"})
    owner_client.post(reverse("panel:account_forward", args=[charlie.pk]), {"targets": "alice@example.test"})
    charlie.user.refresh_from_db()
    assert not charlie.user.check_password("new secret 12345")
    assert not hasattr(Account.objects.get(pk=charlie.pk), "forward")


def test_a_domain_admin_gets_404_filtering_by_another_domain(owner_client, charlie):
    assert owner_client.get(reverse("panel:account_list"), {"domain": "example.org"}).status_code == 404
    assert owner_client.get(reverse("panel:account_export"), {"domain": "example.org"}).status_code == 404


def test_a_domain_admin_sees_only_their_domains_accounts(owner_client, alice, charlie):
    content = owner_client.get(reverse("panel:account_list")).content.decode()
    assert "alice@example.test" in content and "charlie@example.org" not in content


def test_a_superadmin_sees_every_domains_accounts(super_client, alice, charlie):
    content = super_client.get(reverse("panel:account_list")).content.decode()
    assert "alice@example.test" in content and "charlie@example.org" in content


def test_the_export_holds_only_the_domain_admins_accounts(owner_client, alice, charlie):
    body = b"".join(owner_client.get(reverse("panel:account_export")).streaming_content).decode()
    assert "alice@example.test" in body and "charlie@example.org" not in body


def test_revoking_another_domains_app_password_is_404(owner_client, charlie):
    from mailcore.directory.services import create_app_password

    app, _plain = create_app_password(charlie.address, "Phone")
    response = owner_client.post(reverse("panel:app_password_revoke", args=[charlie.pk, app.pk]))
    assert response.status_code == 404
    assert charlie.app_passwords.exists()
