"""The sync makes HopThu's accounts, aliases and roles follow the real slapd (mailcore/ldap/sync.py).

The company (scripts/services/slapd/company.ldif): an.tran (superadmin, two aliases,
2 GiB), huong "Nguyễn Thị Hương" (admin of example.test, an alias, 1 GiB), binh (no
quota in LDAP), cuong (disabled in LDAP), dung (at branch.test, not hosted), khanh (no
mail). Tests that change the directory use a private slapd of their own.
"""
import pytest

from mailcore.directory.lookup import route
from mailcore.directory.models import Account, Alias, DomainAdmin
from mailcore.directory.services import create_account, create_domain
from mailcore.ldap.sync import (
    ADOPTED,
    ALIAS_ADDED,
    ALIAS_DISABLED,
    CREATED,
    DISABLED,
    ENABLED,
    ROLE_GRANTED,
    ROLE_REVOKED,
    SKIPPED,
    UPDATED,
    sync,
)
from tests.support.ldap import (  # noqa: F401
    LDAP_DB,
    SUPERADMINS,
    ldap_database,
    ldap_settings,
    person_dn,
    private_ldap_settings,
    private_slapd,
    slapd_service,
)

pytestmark = [LDAP_DB, pytest.mark.slow]
GIB = 1024**3


@pytest.fixture
def example(db):
    return create_domain("example.test", default_quota=GIB // 2)


def account(address: str) -> Account:
    localpart, domain = address.split("@")
    return Account.objects.select_related("user").get(localpart=localpart, domain__name=domain)


def subjects(report, kind) -> list[str]:
    return sorted(change.subject for change in report.of_kind(kind))


def test_it_creates_accounts_for_enabled_people_of_hosted_domains(ldap_settings, example):  # noqa: F811
    report = sync(ldap_settings)
    assert subjects(report, CREATED) == ["an.tran@example.test", "binh@example.test", "huong@example.test"]
    assert report.people == 6
    huong = account("huong@example.test")
    assert huong.ldap_dn == person_dn("huong")
    assert huong.active
    assert not huong.user.has_usable_password()  # LDAP checks the password, never a local copy
    assert huong.user.username == "huong@example.test"


def test_it_passes_over_the_disabled_the_unhosted_and_those_without_mail(ldap_settings, example):  # noqa: F811
    report = sync(ldap_settings)
    skipped = {change.subject: change.detail for change in report.of_kind(SKIPPED)}
    assert "cuong@example.test" in skipped  # mailEnabled: FALSE
    assert "dung@branch.test" in skipped and "not hosted" in skipped["dung@branch.test"]
    assert "khanh" in skipped
    assert not Account.objects.filter(localpart__in=["cuong", "dung", "khanh"]).exists()


def test_a_vietnamese_name_arrives_whole_and_is_searchable_without_accents(ldap_settings, example):  # noqa: F811
    sync(ldap_settings)
    assert account("huong@example.test").display_name == "Nguyễn Thị Hương"
    assert Account.objects.filter(display_name_key__contains="nguyen thi huong").count() == 1


def test_quota_comes_from_ldap_or_the_domains_default(ldap_settings, example):  # noqa: F811
    sync(ldap_settings)
    assert account("an.tran@example.test").quota == 2 * GIB
    assert account("huong@example.test").quota == GIB
    assert account("binh@example.test").quota == GIB // 2


def test_aliases_from_ldap_deliver_to_the_account(ldap_settings, example):  # noqa: F811
    report = sync(ldap_settings)
    assert subjects(report, ALIAS_ADDED) == ["an@example.test", "giamdoc@example.test", "huong.nguyen@example.test"]
    alias = Alias.objects.get(localpart="giamdoc", domain=example)
    assert alias.ldap_dn == person_dn("an.tran")
    from mailcore.directory.addresses import parse_address

    _canonical, targets = route(parse_address("giamdoc@example.test"))
    assert targets == ["an.tran@example.test"]


def test_roles_follow_the_groups(ldap_settings, example):  # noqa: F811
    report = sync(ldap_settings)
    assert account("an.tran@example.test").user.is_superuser
    assert not account("huong@example.test").user.is_superuser
    assert DomainAdmin.objects.filter(user=account("huong@example.test").user, domain=example).exists()
    assert not DomainAdmin.objects.filter(user=account("binh@example.test").user).exists()
    assert sorted((c.subject, c.detail) for c in report.of_kind(ROLE_GRANTED)) == [
        ("an.tran@example.test", "superadmin"), ("huong@example.test", "admin of example.test")]


def test_a_second_run_changes_nothing(ldap_settings, example):  # noqa: F811
    sync(ldap_settings)
    again = sync(ldap_settings)
    assert [c for c in again.changes if c.kind != SKIPPED] == []


def test_a_dry_run_reports_the_changes_and_makes_none(ldap_settings, example):  # noqa: F811
    dry = sync(ldap_settings, dry_run=True)
    assert subjects(dry, CREATED) == ["an.tran@example.test", "binh@example.test", "huong@example.test"]
    assert not Account.objects.exists()
    assert not Alias.objects.exists()
    assert not DomainAdmin.objects.exists()
    real = sync(ldap_settings)
    assert real.changes == dry.changes
    assert dry.lines()[-1].endswith("Dry run: nothing was changed.")


def test_a_local_account_with_the_same_address_is_adopted_with_its_mail(ldap_settings, example):  # noqa: F811
    local = create_account("binh@example.test", "a local password 123", display_name="Binh")
    report = sync(ldap_settings)
    assert subjects(report, ADOPTED) == ["binh@example.test"]
    binh = account("binh@example.test")
    assert binh.pk == local.pk
    assert binh.ldap_dn == person_dn("binh")
    assert binh.display_name == "Lê Văn Bình"


def test_local_accounts_are_left_alone(ldap_settings, example):  # noqa: F811
    create_account("local@example.test", "a local password 123")
    sync(ldap_settings)
    local = account("local@example.test")
    assert local.active and local.ldap_dn == "" and local.user.has_usable_password()


def test_changes_in_ldap_update_the_account(private_ldap_settings, private_slapd, example):  # noqa: F811
    sync(private_ldap_settings)
    private_slapd.modify(person_dn("huong"), "displayName", ["Nguyễn Thị Thu Hương"])
    private_slapd.modify(person_dn("huong"), "mailQuota", [str(3 * GIB)])
    private_slapd.modify(person_dn("huong"), "mailAlternateAddress", ["thuhuong@example.test"])
    report = sync(private_ldap_settings)
    huong = account("huong@example.test")
    assert huong.display_name == "Nguyễn Thị Thu Hương"
    assert huong.quota == 3 * GIB
    assert subjects(report, UPDATED) == ["huong@example.test", "huong@example.test"]
    assert subjects(report, ALIAS_ADDED) == ["thuhuong@example.test"]
    assert subjects(report, ALIAS_DISABLED) == ["huong.nguyen@example.test"]
    assert not Alias.objects.get(localpart="huong.nguyen").active  # disabled, never deleted


def test_turning_the_flag_off_disables_and_on_enables(private_ldap_settings, private_slapd, example):  # noqa: F811
    sync(private_ldap_settings)
    private_slapd.modify(person_dn("binh"), "mailEnabled", ["FALSE"])
    assert subjects(sync(private_ldap_settings), DISABLED) == ["binh@example.test"]
    assert not account("binh@example.test").active
    private_slapd.modify(person_dn("binh"), "mailEnabled", ["TRUE"])
    assert subjects(sync(private_ldap_settings), ENABLED) == ["binh@example.test"]
    assert account("binh@example.test").active


def test_a_person_removed_from_ldap_is_disabled_and_keeps_the_mail(private_ldap_settings, private_slapd,  # noqa: F811
                                                                    example):
    sync(private_ldap_settings)
    conn = private_slapd.writer()
    conn.delete_s(person_dn("an.tran"))
    conn.unbind_s()
    report = sync(private_ldap_settings)
    assert subjects(report, DISABLED) == ["an.tran@example.test"]
    an = account("an.tran@example.test")  # still there, with its folders and mail
    assert not an.active
    assert an.folders.filter(name="INBOX").exists()
    assert not Alias.objects.filter(ldap_dn=person_dn("an.tran"), active=True).exists()
    assert not an.user.is_superuser  # a disabled account keeps no role


def test_leaving_a_group_revokes_the_role(private_ldap_settings, private_slapd, example):  # noqa: F811
    sync(private_ldap_settings)
    private_slapd.modify(SUPERADMINS, "member", [person_dn("binh")])
    report = sync(private_ldap_settings)
    assert sorted((c.kind, c.subject) for c in report.changes if c.kind in (ROLE_GRANTED, ROLE_REVOKED)) == [
        (ROLE_GRANTED, "binh@example.test"), (ROLE_REVOKED, "an.tran@example.test")]
    assert not account("an.tran@example.test").user.is_superuser
    assert account("binh@example.test").user.is_superuser


def test_hostile_values_from_ldap_are_refused_per_person(private_ldap_settings, private_slapd, example):  # noqa: F811
    """A display name with CR/LF would inject header lines into From:; a bad alias is no address."""
    private_slapd.modify(person_dn("binh"), "displayName", ["Bình\r\nBcc: everyone@example.org"])
    private_slapd.modify(person_dn("huong"), "mailAlternateAddress", ["not an address", "a@b@example.test"])
    report = sync(private_ldap_settings)
    skipped = {change.subject: change.detail for change in report.of_kind(SKIPPED)}
    assert "control characters" in skipped["binh@example.test"]
    assert not Account.objects.filter(localpart="binh").exists()
    assert "holds characters not allowed" in skipped["a@b@example.test"]  # "not an address" has no @: not mail
    assert account("huong@example.test").display_name == "Nguyễn Thị Hương"  # the others go on
    assert not Alias.objects.filter(ldap_dn=person_dn("huong")).exists()
