"""Debian's slapd with the test company (scripts/services/slapd/company.ldif) for LDAP tests.

The slapd scripts/test-services started (HOPTHU_TEST_LDAP_URL, _BASE, _BIND_DN,
_BIND_PASSWORD, _WRITER_DN, _WRITER_PASSWORD) is shared by the whole run: tests must not
change it. A test that changes the directory, or stops it (an outage), asks for
`private_slapd`: its own slapd from the same files on a free loopback port, fresh for
each test (about 0.3 s). Run by hand without scripts/test-services, the shared one is
started here too; under CI a missing HOPTHU_TEST_LDAP_URL is a failure, never a skip.

Use in a test module: `from tests.support.ldap import LDAP_DB, ldap_database, ldap_settings,
slapd_service  # noqa: F401` and mark the tests `LDAP_DB` (django_db with the `ldap` alias).
The `ldap_settings` fixture points settings.HOPTHU_LDAP at the shared slapd and returns
the LdapSettings; `private_ldap_settings` (with `private_slapd`) does the same for a
private one.
"""
import dataclasses
import os
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import ldap
import pytest

from mailcore.ldap.connection import ldap_alias
from mailcore.ldap.settings import LdapSettings
from tests.support.services_filters import _binary, _stop, _wait, free_port

SLAPD_FILES = Path(__file__).resolve().parents[2] / "scripts" / "services" / "slapd"
BASE = "dc=example,dc=test"
PEOPLE = f"ou=people,{BASE}"
GROUPS = f"ou=groups,{BASE}"
READER_DN = f"cn=hopthu-reader,ou=services,{BASE}"
READER_PASSWORD = "reader-secret"
WRITER_DN = f"cn=hopthu-writer,ou=services,{BASE}"
WRITER_PASSWORD = "writer-secret"
ROOT_DN = f"cn=admin,{BASE}"
ROOT_PASSWORD = "admin-secret"  # private instances only (scripts/test-services' is random)
SUPERADMINS = f"cn=mail-superadmins,{GROUPS}"
EXAMPLE_ADMINS = f"cn=mail-admins-example.test,{GROUPS}"
# The people of company.ldif: uid -> (mail, display name, password).
PEOPLE_BY_UID = {
    "an.tran": ("an.tran@example.test", "Trần Văn An", "an-password"),
    "huong": ("huong@example.test", "Nguyễn Thị Hương", "huong-mật-khẩu"),
    "binh": ("binh@example.test", "Lê Văn Bình", "binh-password"),
    "cuong": ("cuong@example.test", "Phạm Quốc Cường", "cuong-password"),  # mailEnabled: FALSE
    "dung": ("dung@branch.test", "Đỗ Minh Dũng", "dung-password"),
}


def person_dn(uid: str) -> str:
    return f"uid={uid},{PEOPLE}"


@dataclass
class Slapd:
    url: str
    base: str
    bind_dn: str
    bind_password: str
    writer_dn: str
    writer_password: str
    process: subprocess.Popen | None = None  # None: scripts/test-services' shared instance
    workdir: Path | None = None

    def writer(self):
        """A python-ldap connection bound as the writer (to change the directory in a test)."""
        return self._bound(self.writer_dn, self.writer_password)

    def admin(self):
        """A connection bound as the root DN: a private instance's groups and services."""
        self._own()
        return self._bound(ROOT_DN, ROOT_PASSWORD)

    def _bound(self, dn: str, password: str):
        conn = ldap.initialize(self.url)
        conn.set_option(ldap.OPT_NETWORK_TIMEOUT, 5)
        conn.simple_bind_s(dn, password)
        return conn

    def modify(self, dn: str, attribute: str, values: list[str] | None) -> None:
        """Replace (or, with None, delete) one attribute of an entry (as the root DN, for
        a private instance; as the writer, who may change people only, for the shared one)."""
        conn = self.writer() if self.process is None else self.admin()
        try:
            encoded = None if values is None else [v.encode() for v in values]
            conn.modify_s(dn, [(ldap.MOD_REPLACE if values is not None else ldap.MOD_DELETE, attribute, encoded)])
        finally:
            conn.unbind_s()

    def pause(self) -> None:
        """Freeze slapd (SIGSTOP): connections open but nothing answers, as a hung server."""
        self._own().send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self._own().send_signal(signal.SIGCONT)

    def stop(self) -> None:
        _stop(self._own())

    def _own(self) -> subprocess.Popen:
        if self.process is None:
            raise RuntimeError("the shared slapd is not the test's to stop: use private_slapd")
        return self.process


def start_slapd(workdir: Path) -> Slapd:
    """slapd from scripts/services/slapd, loaded with company.ldif, on a free loopback port."""
    slapd, slapadd = _binary("slapd"), _binary("slapadd")
    (workdir / "data").mkdir()
    conf = (SLAPD_FILES / "slapd.conf").read_text().replace("@DIR@", str(workdir)).replace(
        "@SCHEMA_DIR@", str(SLAPD_FILES)).replace("@ROOT_PASSWORD@", ROOT_PASSWORD)
    (workdir / "slapd.conf").write_text(conf)
    loaded = subprocess.run([slapadd, "-q", "-f", str(workdir / "slapd.conf"), "-l", str(SLAPD_FILES / "company.ldif")],
                            capture_output=True, text=True)
    if loaded.returncode:
        pytest.fail(f"slapadd failed: {loaded.stderr[-2000:]}")
    port = free_port()
    url = f"ldap://127.0.0.1:{port}"
    log = workdir / "slapd.log"
    with open(log, "wb") as out:
        process = subprocess.Popen([slapd, "-f", str(workdir / "slapd.conf"), "-h", f"{url}/", "-d", "0"],
                                   stdout=out, stderr=subprocess.STDOUT)
    _wait(process, lambda: _answers(url), log, "slapd")
    return Slapd(url, BASE, READER_DN, READER_PASSWORD, WRITER_DN, WRITER_PASSWORD, process, workdir)


def _answers(url: str) -> bool:
    try:
        conn = ldap.initialize(url)
        conn.set_option(ldap.OPT_NETWORK_TIMEOUT, 1)
        conn.simple_bind_s(READER_DN, READER_PASSWORD)
        conn.unbind_s()
        return True
    except ldap.LDAPError:
        return False


def settings_for(service: Slapd, **overrides) -> LdapSettings:
    """LdapSettings for the test company, as docs/ldap.md's OpenLDAP example sets them."""
    values = {
        "url": service.url,
        "bind_dn": service.bind_dn,
        "bind_password": service.bind_password,
        "user_base": f"ou=people,{service.base}",
        "group_base": f"ou=groups,{service.base}",
        "alias_attr": "mailAlternateAddress",
        "quota_attr": "mailQuota",
        "enabled_attr": "mailEnabled",
        "superadmin_group": f"cn=mail-superadmins,ou=groups,{service.base}",
        "domain_admin_groups": (("example.test", f"cn=mail-admins-example.test,ou=groups,{service.base}"),),
        "timeout": 2,
    }
    values.update(overrides)
    return LdapSettings(**values)


@pytest.fixture(scope="session")
def slapd_service():
    """The shared slapd with the test company (read-only for tests)."""
    if os.environ.get("HOPTHU_TEST_LDAP_URL"):
        yield Slapd(os.environ["HOPTHU_TEST_LDAP_URL"], os.environ["HOPTHU_TEST_LDAP_BASE"],
                    os.environ["HOPTHU_TEST_LDAP_BIND_DN"], os.environ["HOPTHU_TEST_LDAP_BIND_PASSWORD"],
                    os.environ["HOPTHU_TEST_LDAP_WRITER_DN"], os.environ["HOPTHU_TEST_LDAP_WRITER_PASSWORD"])
        return
    if os.environ.get("CI"):
        pytest.fail("HOPTHU_TEST_LDAP_URL is not set: run the tests through scripts/test-services")
    with tempfile.TemporaryDirectory(prefix="hopthu-slapd.") as workdir:
        service = start_slapd(Path(workdir))
        yield service
        _stop(service.process)


@pytest.fixture
def private_slapd():
    """A slapd of this test's own, fresh from company.ldif: change it, pause it, stop it."""
    with tempfile.TemporaryDirectory(prefix="hopthu-slapd.") as workdir:
        service = start_slapd(Path(workdir))
        yield service
        if service.process.poll() is None:
            service.resume()  # a paused slapd ignores SIGTERM until it runs again
        _stop(service.process)


# Tests that read the directory through the ORM: the `ldap` alias is one of their databases.
# LDAP has no transactions (ldapdb says so), so Django runs such a test as a
# TransactionTestCase: committed for real, the tables flushed afterwards (about 1 s).
LDAP_DB = pytest.mark.django_db(databases=["default", "ldap"])


@pytest.fixture(scope="session")
def ldap_database(slapd_service):
    """The `ldap` alias, registered before any test case opens its databases.

    Session-scoped, so it exists when pytest-django checks a test's `databases`; it
    points at the shared slapd between tests (a test with a private one moves it).
    """
    shared = settings_for(slapd_service)
    ldap_alias(shared)
    return shared


@pytest.fixture
def ldap_settings(settings, ldap_database):
    """settings.HOPTHU_LDAP pointed at the shared slapd."""
    settings.HOPTHU_LDAP = ldap_database
    ldap_alias()
    yield ldap_database
    # A test may have moved the alias (settings of its own, a dead port): the test case's
    # teardown flushes every database it used, the `ldap` alias too, so point it back.
    ldap_alias(ldap_database)


@pytest.fixture
def private_ldap_settings(settings, ldap_database, private_slapd):
    """settings.HOPTHU_LDAP pointed at this test's private slapd (the alias moves back after)."""
    settings.HOPTHU_LDAP = settings_for(private_slapd)
    ldap_alias()
    yield settings.HOPTHU_LDAP
    ldap_alias(ldap_database)


def with_changes(ldap_settings: LdapSettings, **changes) -> LdapSettings:
    return dataclasses.replace(ldap_settings, **changes)


__all__ = ["LDAP_DB", "Slapd", "ldap_database", "ldap_settings", "private_ldap_settings", "private_slapd",
           "settings_for", "slapd_service", "start_slapd", "with_changes"]
