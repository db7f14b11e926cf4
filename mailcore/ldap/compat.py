"""Shims that let django-ldapdb 1.5.1 (2020) run on Django 5.2, without touching site-packages.

1. `django.utils.timezone.utc` was removed in Django 5.0, and ldapdb used it as pytz's UTC
   (`utc.localize()`, `utc.normalize()`), which Django dropped in 4.0: importing
   `ldapdb.models.fields` fails at its module-level `EPOCH = timezone.utc.localize(...)`.
   import_ldapdb_models() lends Django's timezone module a pytz-style UTC only while that
   import runs, then gives ldapdb's fields module its own timezone namespace that keeps it,
   so the rest of the process never sees `django.utils.timezone.utc`.
2. QuerySet.exists() since Django 4.2 selects a constant (`SELECT 1 ... LIMIT 1`, the
   "a" annotation) that ldapdb's compiler takes for a model field (`e[0].field.attname`,
   AttributeError). exists_in_directory() answers the same question through ldapdb's
   working path, a one-row slice of the DN.

tests/mailcore/ldap/test_compat.py shows each failure without the shim and the shim's answer.
"""
import datetime
import importlib
import sys
import types
from contextlib import contextmanager

from django.utils import timezone as django_timezone


class PytzStyleUTC(datetime.tzinfo):
    """UTC with the two pytz methods ldapdb calls."""

    def utcoffset(self, dt):
        return datetime.timedelta(0)

    def dst(self, dt):
        return datetime.timedelta(0)

    def tzname(self, dt):
        return "UTC"

    def localize(self, naive: datetime.datetime) -> datetime.datetime:
        return naive.replace(tzinfo=datetime.UTC)

    def normalize(self, aware: datetime.datetime) -> datetime.datetime:
        return aware.astimezone(datetime.UTC)

    def __repr__(self):
        return "<UTC>"


UTC = PytzStyleUTC()


@contextmanager
def _lend_utc():
    had = hasattr(django_timezone, "utc")
    if not had:
        django_timezone.utc = UTC
    try:
        yield
    finally:
        if not had:
            del django_timezone.utc


def import_ldapdb_models() -> types.ModuleType:
    """Import and return `ldapdb.models` working on this Django (shim 1)."""
    if "ldapdb.models.fields" not in sys.modules:
        with _lend_utc():
            importlib.import_module("ldapdb.models.fields")
    fields = sys.modules["ldapdb.models.fields"]
    if not isinstance(getattr(fields.timezone, "utc", None), PytzStyleUTC):
        fields.timezone = types.SimpleNamespace(utc=UTC, get_fixed_timezone=django_timezone.get_fixed_timezone)
    return importlib.import_module("ldapdb.models")


def exists_in_directory(queryset) -> bool:
    """QuerySet.exists() for an ldapdb model (shim 2): fetch at most one DN instead."""
    return bool(list(queryset.values_list("dn", flat=True)[:1]))
