"""The directory's database alias is kept apart (mailcore/ldap/router.py)."""
import pytest
from django.db import router
from django.utils.functional import SimpleLazyObject

from mailcore.directory.models import Account, Domain
from mailcore.ldap.models import group_model, person_model
from mailcore.ldap.router import DirectoryReadOnly, DirectoryRouter, directory_writes
from tests.support.ldap import LDAP_DB, ldap_database, ldap_settings, slapd_service  # noqa: F401


def test_nothing_is_ever_migrated_on_the_ldap_alias():
    directory_router = DirectoryRouter()
    for app_label in ("directory", "store", "auth", "contenttypes", "ldapdir"):
        assert directory_router.allow_migrate("ldap", app_label) is False


def test_the_directory_models_are_migrated_nowhere():
    assert DirectoryRouter().allow_migrate("default", "ldapdir", model_name="person1") is False


def test_the_projects_models_are_left_to_the_default_database():
    directory_router = DirectoryRouter()
    assert directory_router.allow_migrate("default", "directory") is None
    assert directory_router.db_for_read(Account) is None
    assert directory_router.db_for_write(Account) is None
    assert router.db_for_write(Account) == "default"


def test_directory_models_read_from_the_ldap_alias(ldap_settings):  # noqa: F811
    assert router.db_for_read(person_model(ldap_settings)) == "ldap"
    assert router.db_for_read(group_model(ldap_settings)) == "ldap"


def test_a_write_to_the_directory_is_refused_unless_asked_for(ldap_settings):  # noqa: F811
    person = person_model(ldap_settings)
    with pytest.raises(DirectoryReadOnly):
        router.db_for_write(person)
    with directory_writes():
        assert router.db_for_write(person) == "ldap"
    with pytest.raises(DirectoryReadOnly):
        router.db_for_write(person)


@LDAP_DB
def test_a_stray_save_or_delete_does_not_reach_ldap(ldap_settings, slapd_service):  # noqa: F811
    person = person_model(ldap_settings).objects.get(login="binh")
    person.display_name = "Changed by accident"
    with pytest.raises(DirectoryReadOnly):
        person.save()
    with pytest.raises(DirectoryReadOnly):
        person.delete()
    assert person_model(ldap_settings).objects.get(login="binh").display_name == "Lê Văn Bình"


def test_no_relation_crosses_between_the_directory_and_the_database(ldap_settings):  # noqa: F811
    person = person_model(ldap_settings)(dn="uid=x,ou=people,dc=example,dc=test")
    directory_router = DirectoryRouter()
    assert directory_router.allow_relation(person, Domain(name="example.test")) is False
    assert directory_router.allow_relation(Domain(name="example.test"), person) is False
    assert directory_router.allow_relation(Domain(name="a.test"), Domain(name="b.test")) is None
    lazy = SimpleLazyObject(lambda: Domain(name="a.test"))  # as request.user reaches the router
    assert directory_router.allow_relation(lazy, Domain(name="b.test")) is None
    assert directory_router.allow_relation(SimpleLazyObject(lambda: person), Domain(name="b.test")) is False


@pytest.mark.django_db
def test_migrate_plans_nothing_for_the_ldap_alias(ldap_settings):  # noqa: F811
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections["default"])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    assert plan == []  # the default database is migrated, the directory models are not in it
    assert "ldapdir" not in executor.loader.migrated_apps
