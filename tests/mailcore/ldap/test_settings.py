"""HOPTHU_LDAP_* settings: all empty means no LDAP; set, they are read whole or refused."""
import pytest
from django.core.exceptions import ImproperlyConfigured

from mailcore.ldap.settings import DEFAULT_ENABLED_VALUES, LdapSettings, read_ldap_settings

MINIMAL = {"HOPTHU_LDAP_URL": "ldap://ldap.example.test", "HOPTHU_LDAP_USER_BASE": "ou=people,dc=example,dc=test"}


def test_no_url_means_no_ldap():
    assert read_ldap_settings({}) is None
    assert read_ldap_settings({"HOPTHU_LDAP_URL": "  ", "HOPTHU_LDAP_BIND_DN": "cn=x"}) is None


def test_the_defaults_read_an_openldap_inetorgperson_tree():
    ldap_settings = read_ldap_settings(MINIMAL)
    assert ldap_settings.user_filter == "(objectClass=inetOrgPerson)"
    assert (ldap_settings.mail_attr, ldap_settings.alias_attr, ldap_settings.display_name_attr) == (
        "mail", "mailAlternateAddress", "displayName")
    assert ldap_settings.quota_attr == ldap_settings.enabled_attr == ""
    assert not ldap_settings.starttls and ldap_settings.domain_admin_groups == ()


def test_every_setting_is_read():
    environ = {
        **MINIMAL,
        "HOPTHU_LDAP_STARTTLS": "1",
        "HOPTHU_LDAP_BIND_DN": "cn=reader,dc=example,dc=test",
        "HOPTHU_LDAP_BIND_PASSWORD": "s3cret",
        "HOPTHU_LDAP_USER_FILTER": "(objectClass=person)",
        "HOPTHU_LDAP_GROUP_BASE": "ou=groups,dc=example,dc=test",
        "HOPTHU_LDAP_LOGIN_ATTR": "sAMAccountName",
        "HOPTHU_LDAP_MAIL_ATTR": "userPrincipalName",
        "HOPTHU_LDAP_ALIAS_ATTR": "proxyAddresses",
        "HOPTHU_LDAP_DISPLAY_NAME_ATTR": "cn",
        "HOPTHU_LDAP_QUOTA_ATTR": "mailQuota",
        "HOPTHU_LDAP_ENABLED_ATTR": "accountStatus",
        "HOPTHU_LDAP_ENABLED_VALUES": "Active, on",
        "HOPTHU_LDAP_SUPERADMIN_GROUP": "cn=mail-superadmins,ou=groups,dc=example,dc=test",
        "HOPTHU_LDAP_DOMAIN_ADMIN_GROUPS": "example.test=cn=a,ou=groups,dc=example,dc=test;\n"
                                           "hộp-thư.vn = cn=b,ou=groups,dc=example,dc=test",
        "HOPTHU_LDAP_TIMEOUT": "3",
        "HOPTHU_LDAP_SYNC_SECONDS": "0",
    }
    ldap_settings = read_ldap_settings(environ)
    assert ldap_settings == LdapSettings(
        url="ldap://ldap.example.test", user_base="ou=people,dc=example,dc=test", starttls=True,
        bind_dn="cn=reader,dc=example,dc=test", bind_password="s3cret", user_filter="(objectClass=person)",
        group_base="ou=groups,dc=example,dc=test", login_attr="sAMAccountName", mail_attr="userPrincipalName",
        alias_attr="proxyAddresses", display_name_attr="cn", quota_attr="mailQuota", enabled_attr="accountStatus",
        enabled_values=("active", "on"), superadmin_group="cn=mail-superadmins,ou=groups,dc=example,dc=test",
        domain_admin_groups=(("example.test", "cn=a,ou=groups,dc=example,dc=test"),
                             ("xn--hp-th-jrb4633c.vn", "cn=b,ou=groups,dc=example,dc=test")),
        timeout=3, sync_seconds=0)


def test_the_password_is_not_in_the_settings_repr():
    assert "s3cret" not in repr(read_ldap_settings({**MINIMAL, "HOPTHU_LDAP_BIND_PASSWORD": "s3cret"}))


def test_the_password_can_come_from_a_file(tmp_path):
    secret = tmp_path / "ldap-password"
    secret.write_text("mật-khẩu đọc\n", encoding="utf-8")
    ldap_settings = read_ldap_settings({**MINIMAL, "HOPTHU_LDAP_BIND_PASSWORD_FILE": str(secret)})
    assert ldap_settings.bind_password == "mật-khẩu đọc"


@pytest.mark.parametrize(("environ", "complaint"), [
    ({"HOPTHU_LDAP_URL": "http://ldap.example.test", "HOPTHU_LDAP_USER_BASE": "dc=x"}, "ldap:// or ldaps://"),
    ({"HOPTHU_LDAP_URL": "ldap://ldap.example.test"}, "HOPTHU_LDAP_USER_BASE is required"),
    ({**MINIMAL, "HOPTHU_LDAP_URL": "ldaps://ldap.example.test", "HOPTHU_LDAP_STARTTLS": "1"}, "TLS already"),
    ({**MINIMAL, "HOPTHU_LDAP_STARTTLS": "maybe"}, "must be a boolean"),
    ({**MINIMAL, "HOPTHU_LDAP_BIND_PASSWORD": "a", "HOPTHU_LDAP_BIND_PASSWORD_FILE": "/etc/x"}, "not both"),
    ({**MINIMAL, "HOPTHU_LDAP_BIND_PASSWORD_FILE": "/nonexistent/ldap-password"}, "cannot read"),
    ({**MINIMAL, "HOPTHU_LDAP_DOMAIN_ADMIN_GROUPS": "cn=admins,dc=example,dc=test"}, "not domain=group DN"),
    ({**MINIMAL, "HOPTHU_LDAP_DOMAIN_ADMIN_GROUPS": "example.test=admins"}, "not domain=group DN"),
    ({**MINIMAL, "HOPTHU_LDAP_TIMEOUT": "soon"}, "must be an integer"),
    ({**MINIMAL, "HOPTHU_LDAP_CA_FILE": "/nonexistent/ca.pem"}, "no such file"),
])
def test_bad_settings_are_refused_with_the_setting_named(environ, complaint):
    with pytest.raises(ImproperlyConfigured, match=complaint):
        read_ldap_settings(environ)


@pytest.mark.parametrize(("attr", "values", "enabled"), [
    ("", ["FALSE"], True),  # no flag configured: the filter alone decides
    ("mailEnabled", [], True),  # the entry lacks the flag
    ("mailEnabled", ["TRUE"], True),
    ("mailEnabled", ["FALSE"], False),
    ("accountStatus", ["active"], True),
    ("accountStatus", ["disabled"], False),
    ("userAccountControl", ["512"], True),  # NORMAL_ACCOUNT
    ("userAccountControl", ["514"], False),  # NORMAL_ACCOUNT | ACCOUNTDISABLE
    ("userAccountControl", ["66050"], False),  # ... | DONT_EXPIRE_PASSWORD
    ("userAccountControl", ["garbage"], False),
])
def test_the_enabled_flag_reads_plain_values_and_ads_disabled_bit(attr, values, enabled):
    ldap_settings = LdapSettings(url="ldap://x", user_base="dc=x", enabled_attr=attr,
                                 enabled_values=DEFAULT_ENABLED_VALUES)
    assert ldap_settings.is_enabled(values) is enabled


def test_ldaps_demands_a_valid_certificate():
    import ldap

    options = LdapSettings(url="ldaps://ldap.example.test", user_base="dc=x").database()["CONNECTION_OPTIONS"]
    assert options[ldap.OPT_X_TLS_REQUIRE_CERT] == ldap.OPT_X_TLS_DEMAND
    assert list(options)[-1] == ldap.OPT_X_TLS_NEWCTX  # applies the TLS options set before it
