"""Debian's Postfix as a second, real mail server on loopback for the interop tests.

Each instance is its own: config_directory, queue_directory, data_directory, log and
mailboxes live in a throwaway folder, it listens on 127.0.0.1 at a free port (never 25),
and the system's /etc/postfix instance is never read, started or stopped. It never looks
a name up in DNS and never sends anywhere but 127.0.0.1: a transport map sends HopThu's
domains to HopThu's MX on `mx_port`, anything else goes to Postfix's error transport.

What it hosts (see main.cf below):
  postfix.test, sender.example   virtual Maildir mailboxes (carol, dave; erin); an unknown
                                 address there is refused at RCPT (550 5.1.1, Postfix's own).
  gateway.test                   local(8) without a recipient table: any address is accepted
                                 at RCPT, then bounced by Postfix ("unknown user", a DSN from
                                 MAILER-DAEMON with MAIL FROM:<>). Use local parts that
                                 are no system user's ("ghost"): local(8) would deliver
                                 those, to this instance's own spool directory.
  big@example.test               relayed by an smtp client that ignores HopThu's SIZE.
  recipient_access               a check_recipient_access table the tests rewrite
                                 (set_recipient_access) to make Postfix answer 4xx/5xx.

The folder is /tmp/hopthu-postfix.*, not pytest's temporary folder: that one is 0700 and
Postfix's daemons, running as the postfix user, must walk the path. Postfix starts only
as root (CI runs the suite as root). When it cannot start, the test fails: it is never
skipped (scripts/test-services installs the package).
"""
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from email import message_from_string, policy
from pathlib import Path

import pytest

from mailcore.service.tls import generate_self_signed

POSTFIX = "/usr/sbin/postfix"
HOSTNAME = "mx.postfix.test"
MAILBOXES = ("carol@postfix.test", "dave@postfix.test", "erin@sender.example")
HOPTHU_DOMAINS = ("example.test", "mx.example.test")  # relayed to HopThu's MX (SRS domain too)
STARTUP_SECONDS = 30
# Mail for this HopThu address leaves through a Postfix smtp client that ignores the SIZE
# keyword (smtp_discard_ehlo_keywords), so HopThu's own limit is what answers.
IGNORES_SIZE = "big@example.test"

MAIN_CF = """\
compatibility_level = 3.6
queue_directory = {dir}/queue
data_directory = {dir}/data
maillog_file = {dir}/log/maillog
maillog_file_prefixes = {dir}/log
mail_owner = postfix
setgid_group = postdrop
myhostname = {hostname}
mydomain = postfix.test
myorigin = $myhostname
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
biff = no
smtpd_banner = $myhostname ESMTP Postfix (HopThu interop test)
# No DNS at all: names come from the transport map, never from a resolver.
smtp_dns_support_level = disabled
smtp_host_lookup = native
smtpd_peername_lookup = no
transport_maps = hash:{dir}/conf/transport
default_transport = error:5.4.4 this test instance sends nowhere else
relay_transport = $default_transport
# gateway.test: local(8) without a recipient table accepts any local part at RCPT, then
# bounces the unknown ones. Nothing may reach the system's spool, commands or files.
mydestination = gateway.test
local_recipient_maps =
alias_maps =
alias_database =
forward_path =
allow_mail_to_commands =
allow_mail_to_files =
mail_spool_directory = {dir}/spool
virtual_mailbox_domains = postfix.test, sender.example
virtual_mailbox_maps = hash:{dir}/conf/vmailbox
virtual_mailbox_base = {dir}/mail
virtual_uid_maps = static:{uid}
virtual_gid_maps = static:{gid}
smtpd_recipient_restrictions = check_recipient_access hash:{dir}/conf/recipient_access
smtpd_tls_security_level = may
smtpd_tls_cert_file = {dir}/tls/cert.pem
smtpd_tls_key_file = {dir}/tls/key.pem
smtpd_tls_received_header = yes
smtpd_tls_loglevel = 1
smtp_tls_security_level = may
smtp_tls_loglevel = 1
smtp_connection_cache_on_demand = no
smtp_connect_timeout = 5s
# Retries within a test's time, not minutes.
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
in_flow_delay = 0
"""

# Every service runs unchrooted (no copies of /etc files into the queue directory). The
# smtpd serves one client per process: a rewritten recipient_access table is read by the
# next connection for sure.
MASTER_CF = """\
127.0.0.1:{port} inet n - n - - smtpd -o max_use=1
pickup    unix  n - n 60 1 pickup
cleanup   unix  n - n - 0 cleanup
qmgr      unix  n - n 300 1 qmgr
tlsmgr    unix  - - n 1000? 1 tlsmgr
rewrite   unix  - - n - - trivial-rewrite
bounce    unix  - - n - 0 bounce
defer     unix  - - n - 0 bounce
trace     unix  - - n - 0 bounce
verify    unix  - - n - 1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n - - proxymap
smtp      unix  - - n - - smtp
relay     unix  - - n - - smtp
nosize    unix  - - n - - smtp -o smtp_discard_ehlo_keywords=size
showq     unix  n - n - - showq
error     unix  - - n - - error
retry     unix  - - n - - error
discard   unix  - - n - - discard
local     unix  - n n - - local
virtual   unix  - n n - - virtual
anvil     unix  - - n - 1 anvil
scache    unix  - - n - 1 scache
postlog   unix-dgram n - n - 1 postlogd
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            return sock.recv(512).startswith(b"220 ")
    except OSError:
        return False


class Postfix:
    """One running instance: `postfix -c DIRECTORY` on 127.0.0.1:port."""

    def __init__(self, mx_port: int):
        self.mx_port = mx_port
        self.port = free_port()
        # Not under pytest's 0700 temp folder: Postfix's daemons (user postfix) walk this path.
        self.directory = Path(tempfile.mkdtemp(prefix="hopthu-postfix."))
        self.config = self.directory / "conf"

    # --- Life cycle -----------------------------------------------------------------
    def start(self) -> "Postfix":
        if not os.path.exists(POSTFIX):
            pytest.fail("Postfix is not installed; scripts/test-services installs it (run as root)")
        if os.geteuid() != 0:
            pytest.fail("Postfix starts only as root; run the interop tests as root (CI does)")
        account = pwd.getpwnam("postfix")
        os.chmod(self.directory, 0o755)
        for name in ("conf", "queue", "data", "mail", "spool", "log", "tls"):
            (self.directory / name).mkdir()
        for name in ("data", "mail"):
            os.chown(self.directory / name, account.pw_uid, account.pw_gid)
        generate_self_signed(self.directory / "tls" / "cert.pem", self.directory / "tls" / "key.pem", [HOSTNAME])
        (self.config / "main.cf").write_text(MAIN_CF.format(
            dir=self.directory, hostname=HOSTNAME, uid=account.pw_uid, gid=account.pw_gid))
        (self.config / "master.cf").write_text(MASTER_CF.format(port=self.port))
        self._write_map("transport", {
            **dict.fromkeys(HOPTHU_DOMAINS, f"smtp:[127.0.0.1]:{self.mx_port}"),
            IGNORES_SIZE: f"nosize:[127.0.0.1]:{self.mx_port}",
        })
        self._write_map("vmailbox", {address: "{1}/{0}/".format(*address.split("@")) for address in MAILBOXES})
        self._write_map("recipient_access", {})
        self.run(POSTFIX, "start")
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _answers(self.port):
            if time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"Postfix did not answer on 127.0.0.1:{self.port}:\n{self.log()[-3000:]}")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        subprocess.run([POSTFIX, "-c", str(self.config), "stop"], capture_output=True, check=False)
        # `postfix stop` returns before master has gone; its pid file says when.
        pid_file = self.directory / "queue" / "pid" / "master.pid"
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _pid_alive(pid_file):
            time.sleep(0.05)
        shutil.rmtree(self.directory, ignore_errors=True)

    def run(self, command: str, *args: str) -> str:
        result = subprocess.run([command, "-c", str(self.config), *args], capture_output=True, text=True,
                                check=False)
        if result.returncode != 0:
            pytest.fail(f"{command} {' '.join(args)} failed ({result.returncode}):\n{result.stderr}\n"
                        f"{self.log()[-3000:]}")
        return result.stdout

    # --- Between tests --------------------------------------------------------------
    def reset(self) -> None:
        """An empty queue, empty mailboxes, no recipient_access entries and a log mark."""
        self.run("/usr/sbin/postsuper", "-d", "ALL")
        for mailbox in (self.directory / "mail").glob("*/*"):
            shutil.rmtree(mailbox)
        self.set_recipient_access({})
        self._log_start = len(self._log_bytes())

    def set_recipient_access(self, entries: dict[str, str]) -> None:
        """check_recipient_access entries: {"x@postfix.test": "450 4.2.0 Try later"}."""
        self._write_map("recipient_access", entries)

    def _write_map(self, name: str, entries: dict[str, str]) -> None:
        source = self.config / name
        source.write_text("".join(f"{key} {value}\n" for key, value in entries.items()))
        self.run("/usr/sbin/postmap", f"hash:{source}")

    # --- What it received -----------------------------------------------------------
    def mailbox(self, address: str) -> list[bytes]:
        """The messages in a hosted Maildir, oldest first, as stored (Return-Path on top)."""
        localpart, domain = address.split("@")
        new = self.directory / "mail" / domain / localpart / "new"
        files = sorted(new.iterdir(), key=lambda path: path.stat().st_mtime_ns) if new.exists() else []
        return [path.read_bytes() for path in files]

    def wait_for_mail(self, address: str, count: int = 1, timeout: float = 20.0) -> list:
        """The first `count` messages of a mailbox, parsed, once they are there."""
        deadline = time.monotonic() + timeout
        while len(messages := self.mailbox(address)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{address} has {len(messages)} of {count} messages; "
                                     f"Postfix's log:\n{self.log()[-3000:]}")
            time.sleep(0.1)
        return [message_from_string(raw.decode("utf-8", "surrogateescape"), policy=policy.SMTPUTF8)
                for raw in messages[:count]]

    def _log_bytes(self) -> bytes:
        path = self.directory / "log" / "maillog"
        return path.read_bytes() if path.exists() else b""

    def log(self) -> str:
        """Postfix's log since the last reset."""
        return self._log_bytes()[getattr(self, "_log_start", 0):].decode("utf-8", "replace")

    def wait_for_log(self, pattern: str, timeout: float = 20.0) -> re.Match:
        deadline = time.monotonic() + timeout
        while (match := re.search(pattern, self.log())) is None:
            if time.monotonic() > deadline:
                raise AssertionError(f"Postfix never logged {pattern!r}:\n{self.log()[-3000:]}")
            time.sleep(0.1)
        return match

    def queue_is_empty(self) -> bool:
        return not self.run("/usr/sbin/postqueue", "-j").strip()


def _pid_alive(pid_file: Path) -> bool:
    try:
        os.kill(int(pid_file.read_text().split()[0]), 0)
    except (OSError, ValueError, IndexError):
        return False
    return True
