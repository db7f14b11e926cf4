"""With HOPTHU_LDAP_URL set, beat runs the sync every HOPTHU_LDAP_SYNC_SECONDS; without, never."""
import runpy
import warnings

from config.celery import app

LDAP_ENV = {"HOPTHU_LDAP_URL": "ldap://ldap.example.test", "HOPTHU_LDAP_USER_BASE": "ou=people,dc=example,dc=test"}


def settings_module(monkeypatch, **environ):
    """config/settings.py run afresh with this environment (Django's own settings untouched)."""
    for name in ("HOPTHU_LDAP_URL", "HOPTHU_LDAP_SYNC_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    with warnings.catch_warnings():  # "found in sys.modules": yes, this is a second, separate run
        warnings.simplefilter("ignore", RuntimeWarning)
        return runpy.run_module("config.settings", run_name="config.settings_under_test")


def test_without_ldap_there_is_no_sync_and_no_ldap_database(monkeypatch):
    module = settings_module(monkeypatch)
    assert module["HOPTHU_LDAP"] is None
    assert "ldap-sync" not in module["CELERY_BEAT_SCHEDULE"]
    assert set(module["DATABASES"]) == {"default"}


def test_with_ldap_beat_syncs_through_a_registered_task(monkeypatch):
    module = settings_module(monkeypatch, **LDAP_ENV, HOPTHU_LDAP_SYNC_SECONDS="600")
    entry = module["CELERY_BEAT_SCHEDULE"]["ldap-sync"]
    assert entry == {"task": "mailcore.ldap.sync", "schedule": 600.0}
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
    assert module["DATABASES"]["ldap"]["ENGINE"] == "ldapdb.backends.ldap"
    assert module["DATABASE_ROUTERS"] == ["mailcore.ldap.router.DirectoryRouter"]


def test_a_zero_period_turns_the_periodic_sync_off(monkeypatch):
    module = settings_module(monkeypatch, **LDAP_ENV, HOPTHU_LDAP_SYNC_SECONDS="0")
    assert "ldap-sync" not in module["CELERY_BEAT_SCHEDULE"]
