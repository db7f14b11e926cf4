"""Creating a person in the company directory from the panel (docs/ldap.md,
"Authentication"): only with HOPTHU_LDAP_WRITABLE, only at a domain the admin manages,
audited without the password; the entry gets its password by RFC 3062 and the account,
marked as from LDAP, opens with it at once. Against the real slapd."""
import pytest
from django.urls import reverse

from mailcore.audit.models import AuditEntry
from mailcore.auth.credentials import check_credentials
from mailcore.auth.ldapbind import open_connection, verify_password
from mailcore.directory.models import Account
from tests.support.ldap_login import new_person_uid

URL = reverse("panel:directory_user_create")
PASSWORD = "the new person's first password"


def post(client, uid, localpart=None, **fields):
    data = {"uid": uid, "localpart": localpart or uid, "domain": "example.test", "display_name": "Vũ Thị Lan",
            "password": PASSWORD, "password2": PASSWORD, **fields}
    return client.post(URL, data)


def entry(dn):
    connection = open_connection()
    try:
        return connection.search_s(dn, 0, "(objectClass=*)")[0][1]
    finally:
        connection.unbind_s()


def test_a_domain_admin_adds_a_person_who_then_logs_in_with_that_password(owner_client, ldap_writable):
    uid = new_person_uid()
    response = post(owner_client, uid)
    account = Account.objects.get(localpart=uid)
    assert response["Location"] == reverse("panel:account_detail", args=[account.pk])
    assert account.ldap_dn == f"uid={uid},{ldap_writable.user_base}" and account.display_name == "Vũ Thị Lan"
    attributes = entry(f"uid={uid},{ldap_writable.user_base}")
    assert attributes["mail"] == [f"{uid}@example.test".encode()]
    assert attributes["cn"] == ["Vũ Thị Lan".encode()] and attributes["sn"] == ["Vũ".encode()]
    assert not attributes["userPassword"][0].startswith(PASSWORD.encode())  # hashed by slapd
    assert verify_password(account.address, PASSWORD)
    assert check_credentials(account.address, PASSWORD, "192.0.2.1", "imap") == account


def test_it_is_audited_without_the_password(owner_client, ldap_writable):
    uid = new_person_uid()
    post(owner_client, uid)
    audit = AuditEntry.objects.get(action="account.directory_create")
    assert (audit.object_repr, audit.domain, audit.actor_name) == (f"{uid}@example.test", "example.test", "owner")
    assert audit.after["dn"] == f"uid={uid},{ldap_writable.user_base}"
    assert PASSWORD not in str(audit.before) + str(audit.after)


def test_a_domain_admin_cannot_add_a_person_at_a_domain_they_do_not_manage(owner_client, ldap_writable):
    uid = new_person_uid()
    response = post(owner_client, uid, domain="example.org")
    assert response.status_code == 200
    assert not Account.objects.filter(localpart=uid).exists()
    assert not verify_password(f"{uid}@example.org", PASSWORD)


def test_an_address_already_in_the_directory_is_refused_and_nothing_is_made(super_client, ldap_writable, domain):
    uid = new_person_uid()
    response = post(super_client, uid, localpart="huong")  # huong@example.test is in the company tree
    assert response.status_code == 200
    assert "already has this address" in response.content.decode()
    assert not Account.objects.filter(localpart="huong").exists()


def test_a_user_name_already_in_the_directory_is_refused(super_client, ldap_writable, domain):
    response = post(super_client, "binh", localpart=new_person_uid())
    assert "already has this user name" in response.content.decode()
    assert not Account.objects.filter(user__username__startswith="t").exists()


def test_an_unreachable_directory_makes_nothing(super_client, ldap_writable, ldap_down, domain):
    ldap_down()
    uid = new_person_uid()
    response = post(super_client, uid)
    assert "The company directory is unavailable" in response.content.decode()
    assert not Account.objects.filter(localpart=uid).exists()


@pytest.mark.parametrize("uid", ["an nguyen", "an,ou=x", "*", "lan)(x", "Lân"])
def test_a_hostile_or_accented_user_name_is_refused_by_the_form(super_client, ldap_writable, domain, uid):
    response = post(super_client, uid, localpart="lan.vu")
    assert response.context["form"].errors.get("uid")
    assert not Account.objects.filter(localpart="lan.vu").exists()


def test_without_writable_the_page_is_forbidden_and_not_offered(super_client, ldap_on, domain):
    assert super_client.get(URL).status_code == 403
    assert URL not in super_client.get(reverse("panel:account_list")).content.decode()


def test_with_writable_the_accounts_page_offers_it(super_client, ldap_writable):
    assert URL in super_client.get(reverse("panel:account_list")).content.decode()


def test_a_mail_user_cannot_reach_it(client, alice, ldap_writable):
    client.force_login(alice.user)
    assert client.get(URL).status_code == 403


def reset_by_admin(client, account, password):
    return client.post(reverse("panel:account_password", args=[account.pk]),
                       {"password": password, "password2": password})


def test_an_admins_password_reset_of_an_ldap_account_is_written_to_ldap(owner_client, ldap_writable):
    uid = new_person_uid()
    post(owner_client, uid)
    account = Account.objects.get(localpart=uid)
    page = owner_client.get(reverse("panel:account_detail", args=[account.pk])).content.decode()
    assert "written to the company directory" in page  # the form is offered
    assert reset_by_admin(owner_client, account, "an admin's new password 7").status_code == 302
    assert verify_password(account.address, "an admin's new password 7")
    assert not verify_password(account.address, PASSWORD)


def test_without_writable_an_admins_reset_of_an_ldap_account_is_refused(owner_client, an):
    from tests.support.ldap_login import PASSWORDS

    response = reset_by_admin(owner_client, an, "an admin's new password 7")
    assert response.status_code == 400
    assert "password is kept in LDAP" in response.content.decode()
    assert verify_password(an.address, PASSWORDS["an.tran"])
    an.user.refresh_from_db()
    assert not an.user.check_password("an admin's new password 7")  # no ignored local password either
