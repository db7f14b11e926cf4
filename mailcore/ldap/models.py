"""The directory's people and groups as django-ldapdb models, shaped by LdapSettings.

Attribute names and bases come from the settings (OpenLDAP and Active Directory call
the same things differently), so the models are made per LdapSettings by person_model()
and group_model(). They live in their own app registry (LDAP_APPS): the project's
registry, its migrations and its admin never see them, and mailcore.ldap.router sends
their queries to the `ldap` alias only.
"""
import itertools
from functools import lru_cache

from django.apps.registry import Apps
from django.db.models.sql.where import AND, WhereNode

from .compat import import_ldapdb_models
from .settings import LdapSettings

APP_LABEL = "ldapdir"
LDAP_APPS = Apps()  # not the project's registry: no migration, no admin, no content type
_names = itertools.count(1)


class DirectoryFilter:
    """A raw LDAP filter (RFC 4515 §3) as a WHERE child that ldapdb's compiler writes as is.

    HOPTHU_LDAP_USER_FILTER and HOPTHU_LDAP_GROUP_FILTER are LDAP filters written by the
    administrator, often beyond what Django lookups express (AD's bitwise matching rule
    `1.2.840.113556.1.4.803`); ldapdb puts this child's text between parentheses.
    """

    contains_aggregate = False
    contains_over_clause = False

    def __init__(self, filterstr: str):
        text = filterstr.strip()
        if text.startswith("(") and text.endswith(")"):
            text = text[1:-1]
        self.filterstr = text

    def as_sql(self, compiler, connection):
        return self.filterstr.replace("%", "%%"), []  # ldapdb %-formats the clause with params

    def get_refs(self):
        return set()


def filtered(queryset, filterstr: str):
    """Return queryset narrowed by a raw LDAP filter (ANDed with its other conditions)."""
    if not filterstr.strip():
        return queryset
    queryset = queryset.all()
    # In a WhereNode of its own (appended: add() would flatten it): ldapdb reads a lone
    # leaf child of the query's WHERE as a lookup on `dn`.
    queryset.query.where.children.append(WhereNode([DirectoryFilter(filterstr)], AND))
    return queryset


def _meta():
    return type("Meta", (), {"app_label": APP_LABEL, "apps": LDAP_APPS, "managed": False})


@lru_cache(maxsize=16)
def person_model(ldap_settings: LdapSettings):
    """The model of a person under HOPTHU_LDAP_USER_BASE, with the configured attributes."""
    ldapdb = import_ldapdb_models()
    fields = ldapdb.fields
    attrs = {
        "__module__": __name__,
        "Meta": _meta(),
        "base_dn": ldap_settings.user_base,
        "object_classes": [],  # who is a person is HOPTHU_LDAP_USER_FILTER's to say
        "login": fields.CharField(db_column=ldap_settings.login_attr, blank=True),
        "mail": fields.ListField(db_column=ldap_settings.mail_attr),
        "display_name": fields.CharField(db_column=ldap_settings.display_name_attr, blank=True),
        "common_name": fields.CharField(db_column="cn", blank=True),
    }
    if ldap_settings.alias_attr:
        attrs["aliases"] = fields.ListField(db_column=ldap_settings.alias_attr)
    if ldap_settings.quota_attr:
        attrs["quota"] = fields.CharField(db_column=ldap_settings.quota_attr, blank=True)
    if ldap_settings.enabled_attr:
        attrs["enabled_flag"] = fields.CharField(db_column=ldap_settings.enabled_attr, blank=True)
    return type(f"Person{next(_names)}", (ldapdb.Model,), attrs)


@lru_cache(maxsize=16)
def group_model(ldap_settings: LdapSettings):
    """The model of a group (groupOfNames, AD's group): its DN, name and member DNs."""
    ldapdb = import_ldapdb_models()
    fields = ldapdb.fields
    attrs = {
        "__module__": __name__,
        "Meta": _meta(),
        "base_dn": ldap_settings.group_base or ldap_settings.user_base,
        "object_classes": [],
        "name": fields.CharField(db_column="cn", blank=True),
        "members": fields.ListField(db_column=ldap_settings.group_member_attr),
    }
    return type(f"Group{next(_names)}", (ldapdb.Model,), attrs)


def is_directory_model(model_or_instance) -> bool:
    """Whether a model (or an instance, possibly behind a lazy object) is a directory model."""
    meta = getattr(model_or_instance, "_meta", None)
    return getattr(meta, "app_label", None) == APP_LABEL
