"""A real Dovecot on loopback: the "old server" of the IMAP migration tests.

The one scripts/test-services started (it exports HOPTHU_TEST_DOVECOT_HOST, _PORT,
_SSL_PORT, _CA, _USERS "login:password ...", _MASTER "login:password"), or, when a test
is run by hand without it, our own from the same scripts/services/dovecot files. Under CI
a missing variable is a failure; a Dovecot that cannot start always is.

Use in a test module: `from tests.support.dovecot import dovecot  # noqa: F401`.
"""
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from imapclient import IMAPClient

START = Path(__file__).resolve().parents[2] / "scripts" / "services" / "dovecot" / "start.py"


@dataclass(frozen=True)
class Dovecot:
    host: str
    port: int
    ssl_port: int
    ca_file: str
    users: dict  # login → password, in the order the service listed them
    master: tuple[str, str]

    def client(self, login: str) -> IMAPClient:
        client = IMAPClient(self.host, port=self.port, ssl=False, timeout=10)
        client.login(login, self.users[login])
        client.normalise_times = False
        return client

    def reset(self, login: str) -> None:
        """Empty the account: every message expunged, every folder but INBOX deleted."""
        with self.client(login) as client:
            folders = client.list_folders()
            for flags, _delimiter, name in folders:
                if b"\\Noselect" in flags:
                    continue
                client.select_folder(name)
                if client.search(["ALL"]):
                    client.add_flags("1:*", [b"\\Deleted"], silent=True)
                    client.expunge()
                client.unselect_folder()
            for flags, _delimiter, name in sorted(folders, key=lambda f: -len(f[2])):
                if name.upper() == "INBOX":
                    continue
                try:
                    client.delete_folder(name)
                except IMAPClient.Error:
                    # A \Noselect parent of Maildir++ goes away with its last child.
                    if b"\\Noselect" not in flags:
                        raise


def _from_environment(env) -> Dovecot:
    users = dict(pair.split(":", 1) for pair in env["HOPTHU_TEST_DOVECOT_USERS"].split())
    return Dovecot(env["HOPTHU_TEST_DOVECOT_HOST"], int(env["HOPTHU_TEST_DOVECOT_PORT"]),
                   int(env["HOPTHU_TEST_DOVECOT_SSL_PORT"]), env["HOPTHU_TEST_DOVECOT_CA"], users,
                   tuple(env["HOPTHU_TEST_DOVECOT_MASTER"].split(":", 1)))


@pytest.fixture(scope="session")
def dovecot():
    if os.environ.get("HOPTHU_TEST_DOVECOT_PORT"):
        yield _from_environment(os.environ)
        return
    if os.environ.get("CI"):
        pytest.fail("HOPTHU_TEST_DOVECOT_PORT is not set: run the tests through scripts/test-services")
    if not shutil.which("dovecot", path="/usr/sbin:/usr/bin:" + os.environ.get("PATH", "")):
        pytest.fail("Dovecot is not installed; scripts/test-services installs dovecot-imapd (run as root)")
    directory = Path(tempfile.mkdtemp(prefix="hopthu-dovecot-"))
    started = subprocess.run([sys.executable, str(START), str(directory)], capture_output=True, text=True)
    if started.returncode:
        shutil.rmtree(directory, ignore_errors=True)
        pytest.fail(f"Dovecot did not start:\n{started.stdout}{started.stderr}")
    env = {}
    for line in started.stdout.splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        env[name] = value.strip("'")
    try:
        yield _from_environment(env)
    finally:
        subprocess.run([sys.executable, str(START), "stop", str(directory)], check=False)
        shutil.rmtree(directory, ignore_errors=True)
