"""The two shims that let django-ldapdb 1.5.1 run on Django 5.2 (mailcore/ldap/compat.py)."""
import datetime
import importlib
import sys

import pytest
from django.utils import timezone

from mailcore.ldap.compat import exists_in_directory, import_ldapdb_models
from mailcore.ldap.models import person_model
from tests.support.ldap import LDAP_DB, ldap_database, ldap_settings, slapd_service  # noqa: F401


def test_plain_ldapdb_import_fails_on_this_django(monkeypatch):
    """The failure the shim exists for: without it, `import ldapdb.models` raises."""
    for name in [name for name in sys.modules if name.startswith("ldapdb.models")]:
        monkeypatch.delitem(sys.modules, name)  # restored after the test, shimmed
    with pytest.raises(AttributeError, match="has no attribute 'utc'"):
        importlib.import_module("ldapdb.models.fields")


def test_ldapdb_time_fields_work_through_the_shim():
    fields = import_ldapdb_models().fields
    assert datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC) == fields.EPOCH
    moment = datetime.datetime(2026, 12, 8, 1, 2, 3, tzinfo=datetime.UTC)
    assert fields.datetime_from_ldap("20261208010203Z") == moment
    assert fields.timestamp_from_datetime(moment) == int(moment.timestamp())
    assert fields.datetime_from_timestamp(int(moment.timestamp())) == moment
    # Generalized Time as written to LDAP (RFC 4517 §3.3.13), from a local time too.
    hanoi = moment.astimezone(datetime.timezone(datetime.timedelta(hours=7)))
    assert fields.DateTimeField().get_prep_value(hanoi) == "20261208010203.000000Z"


def test_the_shim_leaves_djangos_timezone_module_as_it_was():
    import_ldapdb_models()
    assert not hasattr(timezone, "utc")


@LDAP_DB
def test_queryset_exists_is_broken_in_ldapdb_and_the_shim_answers(ldap_settings):  # noqa: F811
    people = person_model(ldap_settings).objects
    with pytest.raises(AttributeError):
        people.filter(login="huong").exists()  # Django 5.2's SELECT 1 path
    assert exists_in_directory(people.filter(login="huong")) is True
    assert exists_in_directory(people.filter(login="nobody-here")) is False
