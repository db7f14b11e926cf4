"""Issue 19's "done when": a running installation is backed up while SMTP clients keep
sending (RFC 5321 §4.1.1.4: a 250 after DATA means the server took responsibility), the
archive is restored into a fresh var directory on "another machine", and every message
acknowledged before the backup's snapshot is there, with its flags as IMAP shows them.
"""
import imaplib
import json
import re
import signal
import smtplib
import sqlite3
import subprocess
import sys
import tarfile
import threading
import time
from datetime import datetime
from email.message import EmailMessage

import pytest

pytestmark = pytest.mark.slow
PASSWORD = "correct horse battery staple"
FLAGGED = {  # appended over IMAP before the load: subject -> flags
    "kept 1": {"\\Seen", "\\Flagged"},
    "kept 2": {"\\Answered", "$Important"},
    "kept 3": {"\\Draft", "\\Seen", "NonJunk"},
}


def _mailcore(env, procs):
    return subprocess.Popen([sys.executable, "manage.py", "mailcore"], cwd=procs.ROOT, env=env,
                            start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _stop(proc, procs):
    proc.send_signal(signal.SIGTERM)
    try:
        proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        procs.kill_tree(proc)


def _sender(port, index, acknowledged, stop):
    count = 0
    while not stop.is_set():
        try:
            with smtplib.SMTP("127.0.0.1", port, timeout=20) as client:
                while not stop.is_set():
                    tag = f"s{index}-{count}"
                    count += 1
                    mail = EmailMessage()
                    mail["From"], mail["To"], mail["Subject"] = "load@example.net", "alice@example.test", f"load {tag}"
                    mail["Message-ID"] = f"<{tag}@load.example.net>"
                    mail.set_content(f"message {tag}\n" + "x" * 3000)
                    client.send_message(mail, "load@example.net", ["alice@example.test"])
                    acknowledged.append((tag, time.time()))  # only after the 250
        except (OSError, smtplib.SMTPException):
            time.sleep(0.05)


def _pending(var_dir):
    conn = sqlite3.connect(f"file:{var_dir / 'hopthu.sqlite3'}?mode=ro", uri=True, timeout=30)
    try:
        return conn.execute("SELECT count(*) FROM delivery_queuerecipient WHERE status IN ('queued', 'deferred')"
                            ).fetchone()[0]
    finally:
        conn.close()


def _inbox(port) -> dict:
    """Subject -> flags of alice's INBOX, over IMAP."""
    client = imaplib.IMAP4("127.0.0.1", port, timeout=30)
    try:
        client.login("alice@example.test", PASSWORD)
        client.select("INBOX", readonly=True)
        _typ, data = client.uid("FETCH", "1:*", "(FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
    finally:
        client.logout()
    found = {}
    for item in data:
        if isinstance(item, tuple):
            subject = item[1].decode().split(":", 1)[1].strip()
            flags = set(re.search(rb"FLAGS \(([^)]*)\)", item[0]).group(1).decode().split()) - {"\\Recent"}
            found[subject] = flags
    return found


def test_a_backup_under_smtp_load_restores_every_acknowledged_message_with_its_flags(process_env, procs, tmp_path,
                                                                                       quiet_dns):
    env = process_env
    procs.manage(env, "migrate", "--noinput", "-v0")
    procs.manage(env, "mail", "domain", "add", "example.test")
    subprocess.run([sys.executable, "manage.py", "mail", "account", "add", "alice@example.test", "--password-stdin"],
                   cwd=procs.ROOT, env=env, input=PASSWORD + "\n", text=True, check=True, capture_output=True)
    var_dir = procs.Path(env["HOPTHU_VAR_DIR"])
    acknowledged: list[tuple[str, float]] = []
    stop = threading.Event()
    core = _mailcore(env, procs)
    threads = [threading.Thread(target=_sender, args=(int(env["HOPTHU_PORT_SMTP"]), i, acknowledged, stop))
               for i in range(3)]
    try:
        procs.wait_for(lambda: procs.heartbeats(var_dir), 60, what="the mail core")
        imap = imaplib.IMAP4("127.0.0.1", int(env["HOPTHU_PORT_IMAP"]), timeout=30)
        imap.login("alice@example.test", PASSWORD)
        for subject, flags in FLAGGED.items():
            body = f"Subject: {subject}\r\nFrom: a@example.net\r\n\r\nkept\r\n".encode()
            assert imap.append("INBOX", f"({' '.join(sorted(flags))})", None, body)[0] == "OK"
        imap.logout()
        for thread in threads:
            thread.start()
        procs.wait_for(lambda: len(acknowledged) >= 40, 120, what="40 acknowledged messages")
        made = procs.manage(env, "backup", "create", "--to", str(tmp_path / "archives") + "/", timeout=300)
        count_at_backup_end = len(acknowledged)
        procs.wait_for(lambda: len(acknowledged) >= count_at_backup_end + 10, 120, what="mail after the backup")
    finally:
        stop.set()
        for thread in threads:
            thread.join(30)
        _stop(core, procs)
    archive = made.stdout.split(":", 1)[0].strip()
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    snapshot_at = datetime.fromisoformat(manifest["snapshot_at"]).timestamp()
    before_snapshot = {tag for tag, when in acknowledged if when < snapshot_at}
    assert len(before_snapshot) >= 40

    # Another machine: a fresh var directory, other ports; restore, then start it as usual.
    fresh = dict(env)
    fresh["HOPTHU_VAR_DIR"] = str(tmp_path / "new-machine" / "var")
    for name in procs.PORT_NAMES:
        fresh[f"HOPTHU_PORT_{name.upper()}"] = str(procs.free_port())
    procs.manage(fresh, "backup", "verify", archive, timeout=300)
    procs.manage(fresh, "backup", "restore", archive, timeout=300)
    procs.manage(fresh, "migrate", "--noinput", "-v0")
    new_var = procs.Path(fresh["HOPTHU_VAR_DIR"])
    core = _mailcore(fresh, procs)
    try:
        procs.wait_for(lambda: procs.heartbeats(new_var), 60, what="the restored mail core")
        procs.wait_for(lambda: _pending(new_var) == 0, 120, what="mail queued at the snapshot to be delivered")
        inbox = _inbox(int(fresh["HOPTHU_PORT_IMAP"]))
    finally:
        _stop(core, procs)
    restored_tags = {subject.removeprefix("load ") for subject in inbox if subject.startswith("load ")}
    missing = before_snapshot - restored_tags
    assert not missing, f"acknowledged before the snapshot but not restored: {sorted(missing)[:10]}"
    for subject, flags in FLAGGED.items():
        assert inbox[subject] == flags
    assert len(restored_tags) < len(acknowledged), "mail after the snapshot cannot be in the archive"
