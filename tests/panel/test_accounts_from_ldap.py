"""Accounts and aliases from LDAP are marked in the panel, and what LDAP owns can't be edited there.

The sync (mailcore/ldap/sync.py) sets Account.ldap_dn and Alias.ldap_dn; here they are
set directly: the pages only read them.
"""
import re

import pytest
from django.urls import reverse

from mailcore.directory import services
from mailcore.directory.models import Account, Alias

DN = "uid=alice,ou=people,dc=example,dc=test"
NEW = "a brand new passphrase"


@pytest.fixture
def ldap_alice(alice):
    alice.ldap_dn, alice.display_name, alice.quota = DN, "Alice Nguyễn", 1024**3
    alice.save()
    return alice


@pytest.fixture
def ldap_alias(ldap_alice):
    alias = services.create_alias("sales@example.test", ["alice@example.test"])
    alias.ldap_dn = DN
    alias.save()
    return alias


def test_the_account_page_says_it_comes_from_ldap_and_locks_ldaps_fields(owner_client, ldap_alice):
    response = owner_client.get(reverse("panel:account_detail", args=[ldap_alice.pk]))
    content = response.content.decode()
    assert "From LDAP" in content and DN in content
    form = response.context["edit_form"]
    assert [name for name, field in form.fields.items() if field.disabled] == ["display_name", "quota", "active"]
    assert re.search(r'<input[^>]*name="display_name"[^>]*disabled', content)
    assert reverse("panel:account_password", args=[ldap_alice.pk]) not in content  # no password form


def test_posting_ldaps_fields_changes_nothing_but_the_rest_saves(owner_client, ldap_alice):
    response = owner_client.post(reverse("panel:account_detail", args=[ldap_alice.pk]), {
        "display_name": "Someone else", "quota": "5G", "app_passwords_only": "on"})  # "active" left out: off
    assert response.status_code == 302
    account = Account.objects.get(pk=ldap_alice.pk)
    assert (account.display_name, account.quota, account.active) == ("Alice Nguyễn", 1024**3, True)
    assert account.app_passwords_only == "on"  # not LDAP's: the admin may set it


def test_a_local_account_is_still_fully_editable(owner_client, alice):
    owner_client.post(reverse("panel:account_detail", args=[alice.pk]), {"display_name": "Alice", "quota": "1G"})
    account = Account.objects.get(pk=alice.pk)
    assert (account.display_name, account.active) == ("Alice", False)


def test_the_password_of_an_ldap_account_is_not_set_here(owner_client, ldap_alice):
    response = owner_client.post(reverse("panel:account_password", args=[ldap_alice.pk]),
                                 {"password": NEW, "password2": NEW})
    assert response.status_code == 400
    assert "kept in LDAP" in response.content.decode()
    ldap_alice.user.refresh_from_db()
    assert not ldap_alice.user.check_password(NEW)


def test_the_list_marks_ldap_accounts(owner_client, ldap_alice, bob):
    content = owner_client.get(reverse("panel:account_list")).content.decode()
    assert content.count(f'title="{DN}"') == 1


def test_an_ldap_alias_is_shown_read_only(owner_client, ldap_alias):
    url = reverse("panel:alias_detail", args=[ldap_alias.pk])
    content = owner_client.get(url).content.decode()
    assert "From LDAP" in content and DN in content
    assert reverse("panel:alias_delete", args=[ldap_alias.pk]) not in content
    response = owner_client.post(url, {"targets": "bob@example.test"})
    assert response.status_code == 400
    assert [t.address for t in Alias.objects.get(pk=ldap_alias.pk).targets.all()] == ["alice@example.test"]


def test_an_ldap_alias_cannot_be_deleted_here(owner_client, ldap_alias):
    owner_client.post(reverse("panel:alias_delete", args=[ldap_alias.pk]))
    assert Alias.objects.filter(pk=ldap_alias.pk).exists()
