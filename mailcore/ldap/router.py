"""Keep the directory's database alias apart (DATABASE_ROUTERS).

- The ldapdb models (mailcore.ldap.models) read from the `ldap` alias and nothing else
  does: the project's models never land there.
- Nothing is ever migrated on the `ldap` alias, and the directory models on no alias.
- No relation crosses between the directory and the project's database.
- A write to the directory is refused unless the caller opened directory_writes() on
  purpose (a password change written back to LDAP, docs/ldap.md): a stray save() or
  delete() on a directory model raises DirectoryReadOnly instead of modifying LDAP.
"""
from contextlib import contextmanager
from contextvars import ContextVar

from .connection import ldap_alias
from .models import APP_LABEL, is_directory_model
from .settings import DATABASE_ALIAS

_writes_allowed = ContextVar("hopthu_ldap_writes_allowed", default=False)


class DirectoryReadOnly(Exception):
    """A write to the LDAP directory outside directory_writes()."""


@contextmanager
def directory_writes():
    """Allow writes to the directory models inside this block (this thread/task only)."""
    token = _writes_allowed.set(True)
    try:
        yield
    finally:
        _writes_allowed.reset(token)


class DirectoryRouter:
    def db_for_read(self, model, **hints):
        return ldap_alias() if is_directory_model(model) else None

    def db_for_write(self, model, **hints):
        if not is_directory_model(model):
            return None
        if not _writes_allowed.get():
            raise DirectoryReadOnly(f"refusing to write {model.__name__} to LDAP outside directory_writes()")
        return ldap_alias()

    def allow_relation(self, obj1, obj2, **hints):
        # Instances, sometimes behind a lazy object (request.user): ask them, not type().
        if is_directory_model(obj1) or is_directory_model(obj2):
            return is_directory_model(obj1) and is_directory_model(obj2)
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if db == DATABASE_ALIAS or app_label == APP_LABEL:
            return False
        return None
