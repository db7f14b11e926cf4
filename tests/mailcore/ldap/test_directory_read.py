"""People and groups read from the real slapd through django-ldapdb (mailcore/ldap/models.py)."""
from mailcore.ldap.models import filtered, group_model, person_model
from tests.support.ldap import (  # noqa: F401
    EXAMPLE_ADMINS,
    LDAP_DB,
    PEOPLE_BY_UID,
    SUPERADMINS,
    ldap_database,
    ldap_settings,
    person_dn,
    slapd_service,
)

pytestmark = LDAP_DB


def test_people_are_read_with_the_configured_attributes(ldap_settings):  # noqa: F811
    people = {p.login: p for p in filtered(person_model(ldap_settings).objects.all(), ldap_settings.user_filter)}
    assert set(people) == {*PEOPLE_BY_UID, "khanh"}
    huong = people["huong"]
    assert huong.dn == person_dn("huong")
    assert huong.mail == ["huong@example.test"]
    assert huong.display_name == "Nguyễn Thị Hương"
    assert huong.aliases == ["huong.nguyen@example.test"]
    assert huong.quota == "1073741824"
    assert people["cuong"].enabled_flag == "FALSE"
    assert people["khanh"].mail == []


def test_the_user_filter_is_applied_as_written(ldap_settings):  # noqa: F811
    people = person_model(ldap_settings).objects.all()
    only_enabled = filtered(people, "(&(objectClass=inetOrgPerson)(mailEnabled=TRUE))")
    assert sorted(p.login for p in only_enabled) == ["an.tran", "binh", "dung", "huong"]
    assert sorted(p.login for p in filtered(people.filter(login="huong"), "(mail=*)")) == ["huong"]


def test_groups_list_their_members(ldap_settings):  # noqa: F811
    groups = group_model(ldap_settings).objects
    assert groups.get(dn=SUPERADMINS).members == [person_dn("an.tran")]
    assert sorted(groups.get(dn=EXAMPLE_ADMINS).members) == [person_dn("cuong"), person_dn("huong")]
