"""The company directory (LDAP): settings, the ldapdb models and the sync into mailcore.directory.

docs/ldap.md describes the settings and the sync's rules. Nothing here runs unless
HOPTHU_LDAP_URL is set (settings.HOPTHU_LDAP is then an LdapSettings, else None).
"""
