#!/usr/bin/env python3
"""Start a throwaway Dovecot IMAP server on free 127.0.0.1 ports from dovecot.conf.

    start.py DIR    # prints `export NAME=VALUE` lines for a shell, then leaves Dovecot running

Used by scripts/test-services (start_dovecot) and by tests/support/dovecot.py when the
tests run without it. Everything lives under DIR: config, passwd-file, master users, a
self-signed certificate, Maildirs, logs; `doveadm -c DIR/dovecot.conf stop` (or killing
the PID in DIR/run/master.pid) ends it. The system's Dovecot service is never touched.
Source accounts: four users with random passwords; one master user (login
`user*master`, RFC-less Dovecot convention).
"""
import os
import pwd
import secrets
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
USERS = ("mig1@old.test", "mig2@old.test", "mig3@old.test", "mig4@old.test")
MASTER = "migadmin"
DOVECOT = "/usr/sbin/dovecot"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _owner() -> tuple[int, int, str, str, str]:
    """uid, gid of the mail files and the internal and login users Dovecot runs as."""
    if os.getuid() == 0:
        internal = pwd.getpwnam("dovecot")
        login = "dovenull"
        return internal.pw_uid, internal.pw_gid, "dovecot", "dovecot", login
    me = pwd.getpwuid(os.getuid())
    return me.pw_uid, me.pw_gid, me.pw_name, me.pw_name, me.pw_name


def start(directory: Path) -> dict:
    directory.mkdir(parents=True, exist_ok=True)
    for sub in ("run", "state", "mail"):
        (directory / sub).mkdir(exist_ok=True)
    uid, gid, user, group, login_user = _owner()
    port, ssl_port = free_port(), free_port()
    conf = (HERE / "dovecot.conf").read_text()
    for key, value in {"@DIR@": str(directory), "@PORT@": str(port), "@SSLPORT@": str(ssl_port),
                       "@USER@": user, "@GROUP@": group, "@LOGIN_USER@": login_user}.items():
        conf = conf.replace(key, value)
    (directory / "dovecot.conf").write_text(conf)
    passwords = {login: secrets.token_hex(8) for login in USERS}
    master_password = secrets.token_hex(8)
    (directory / "passwd").write_text("".join(
        f"{login}:{{PLAIN}}{password}:{uid}:{gid}::{directory / 'mail' / login}\n"
        for login, password in passwords.items()))
    (directory / "masters").write_text(f"{MASTER}:{{PLAIN}}{master_password}\n")
    subprocess.run(  # noqa: S603 (fixed arguments)
        # Debian's openssl on PATH, as the test command installs it.
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",  # noqa: S607
         "-subj", "/CN=localhost",
         "-keyout", str(directory / "key.pem"), "-out", str(directory / "cert.pem")],
        check=True, capture_output=True)
    for path in directory.rglob("*"):
        os.chown(path, uid, gid)
    os.chown(directory, uid, gid)
    os.chmod(directory, 0o755)  # noqa: S103 (Dovecot's own users read it)
    # Its daemon must not hold our stdout: whoever reads our exports waits for its end.
    subprocess.run([DOVECOT, "-c", str(directory / "dovecot.conf")], check=True,  # noqa: S603
                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), 1) as sock:
                if sock.recv(100).startswith(b"* OK"):
                    break
        except OSError:
            pass
        if time.monotonic() > deadline:
            log = directory / "dovecot.log"
            raise RuntimeError("Dovecot did not answer:\n" + (log.read_text()[-3000:] if log.exists() else ""))
        time.sleep(0.05)
    return {
        "HOPTHU_TEST_DOVECOT_HOST": "127.0.0.1",
        "HOPTHU_TEST_DOVECOT_PORT": str(port),
        "HOPTHU_TEST_DOVECOT_SSL_PORT": str(ssl_port),
        "HOPTHU_TEST_DOVECOT_CA": str(directory / "cert.pem"),
        "HOPTHU_TEST_DOVECOT_USERS": " ".join(f"{login}:{password}" for login, password in passwords.items()),
        "HOPTHU_TEST_DOVECOT_MASTER": f"{MASTER}:{master_password}",
    }


def stop(directory: Path) -> None:
    pid_file = directory / "run" / "master.pid"
    if pid_file.exists():
        subprocess.run([DOVECOT, "-c", str(directory / "dovecot.conf"), "stop"], check=False,  # noqa: S603
                       capture_output=True)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "stop":
        stop(Path(sys.argv[2]))
        sys.exit(0)
    if len(sys.argv) != 2:
        sys.exit("usage: start.py DIR | start.py stop DIR")
    for name, value in start(Path(sys.argv[1])).items():
        print(f"export {name}={shlex.quote(value)}")
