"""The panel's "mail programs only with app passwords" switches: the domain's (forces it
for every account) and the account's (default / on / off), both read at the next login."""
import pytest

from mailcore.audit.models import AuditEntry
from mailcore.auth.credentials import check_credentials
from mailcore.auth.errors import AuthFailed
from tests.conftest import PASSWORD


def imap_login(address="alice@example.test"):
    return check_credentials(address, PASSWORD, "192.0.2.50", "imap")


def test_a_domain_admin_turns_the_domain_switch_on_and_every_account_needs_app_passwords(owner_client, alice, bob):
    assert imap_login() == alice
    page = owner_client.get("/panel/domains/example.test/").content.decode()
    assert 'action="/panel/domains/example.test/mail-programs/"' in page
    response = owner_client.post("/panel/domains/example.test/mail-programs/", {"app_passwords_only": "on"})
    assert response.status_code == 302
    for address in ("alice@example.test", "bob@example.test"):
        with pytest.raises(AuthFailed):
            imap_login(address)
    entry = AuditEntry.objects.get(action="domain.update")
    assert entry.after == {"app_passwords_only": True}
    owner_client.post("/panel/domains/example.test/mail-programs/", {})  # unticked: off again
    assert imap_login() == alice


def test_another_domains_switch_is_not_found(owner_client, charlie):
    response = owner_client.post("/panel/domains/example.org/mail-programs/", {"app_passwords_only": "on"})
    assert response.status_code == 404
    charlie.domain.refresh_from_db()
    assert not charlie.domain.app_passwords_only


def test_the_account_page_sets_the_accounts_own_word(owner_client, alice):
    url = f"/panel/accounts/{alice.pk}/"
    assert 'name="app_passwords_only"' in owner_client.get(url).content.decode()
    response = owner_client.post(url, {"display_name": "", "quota": "0", "active": "on", "app_passwords_only": "on"})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.app_passwords_only == "on"
    with pytest.raises(AuthFailed):
        imap_login()
    entry = AuditEntry.objects.get(action="account.update")
    assert entry.after["app_passwords_only"] == "on"


def test_an_unknown_value_is_an_error_on_the_field(owner_client, alice):
    response = owner_client.post(f"/panel/accounts/{alice.pk}/", {
        "display_name": "", "quota": "0", "active": "on", "app_passwords_only": "sometimes"})
    assert response.status_code == 400
    assert response.context["edit_form"].errors["app_passwords_only"]
    alice.refresh_from_db()
    assert alice.app_passwords_only == "default"
