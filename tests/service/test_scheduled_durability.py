"""DESIGN.md and mailcore/smtp/scheduled.py: the database, not the broker, holds a
scheduled send. Every HopThu process (the worker with its mail core, its pool and
delivery children, and beat) is SIGKILLed and the broker's queue folder wiped, so any
Celery task for the message is gone. After a restart the message reaches the
recipient's INBOX over the real IMAP listener within 30 s (beat's sweep,
HOPTHU_SCHEDULED_SWEEP_SECONDS = 10), exactly once, and its row is marked sent."""
import imaplib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import suppress

import pytest

pytestmark = pytest.mark.slow
PASSWORD = "correct horse battery staple"
DELAY = 20  # seconds from scheduling to the send time
DEADLINE = 30  # the promise: sent within 30 s of the restart (and so of its time)
SOON = "<soon@durability.example.test>"
LEAVING = "<leaving@durability.example.test>"

SCHEDULE = """
from datetime import timedelta
from email.message import EmailMessage
from email.policy import SMTP
from django.utils import timezone
from mailcore.directory.models import Account
from mailcore.smtp.scheduled import schedule
alice = Account.objects.get(localpart="alice", domain__name="example.test")
for tag, delay in {plan}:
    mail = EmailMessage(policy=SMTP)
    mail["From"] = "alice@example.test"
    mail["To"] = "bob@example.test"
    mail["Subject"] = "scheduled " + tag
    mail["Message-ID"] = "<" + tag + "@durability.example.test>"
    mail.set_content("sent by the scheduler")
    row = schedule(alice, mail.as_bytes(), ["bob@example.test"], timezone.now() + timedelta(seconds=delay))
    print("scheduled", tag, row.pk, row.send_at.timestamp())
"""


def _start(env, procs, log_path, *args):
    with log_path.open("ab") as log:
        return subprocess.Popen([sys.executable, "-m", "celery", "-A", "config", *args], cwd=procs.ROOT, env=env,
                                start_new_session=True, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)


def _start_all(env, procs, tmp_path):
    worker = _start(env, procs, tmp_path / "worker.log", "worker", "--mailcore", "--loglevel", "INFO",
                    "--concurrency", "1", "--hostname", "mailcore@%h",
                    "--without-heartbeat", "--without-gossip", "--without-mingle")
    beat = _start(env, procs, tmp_path / "beat.log", "beat", "--loglevel", "INFO")
    return [worker, beat]


def _kill_everything(running, procs):
    """SIGKILL every process of every tree at once: no process gets to clean up."""
    pids = set()
    for proc in running:
        pids |= procs.descendants(proc.pid) | {proc.pid}
    for pid in pids:
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    for proc in running:
        proc.wait(10)
    procs.wait_for(lambda: not any(procs.alive(pid) for pid in pids), 10, what="every process to die")
    return pids


def _query(var_dir, sql, *params):
    conn = sqlite3.connect(f"file:{var_dir / 'hopthu.sqlite3'}?mode=ro", uri=True, timeout=30)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def _status(var_dir, pk):
    return _query(var_dir, "SELECT status, queued_message_id FROM delivery_scheduledmessage WHERE id = ?", pk)[0]


def _imap_inbox_ids(port):
    imap = imaplib.IMAP4("127.0.0.1", port, timeout=10)
    try:
        imap.login("bob@example.test", PASSWORD)
        imap.select("INBOX", readonly=True)
        _typ, data = imap.fetch("1:*", "(BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
        return [part[1].decode().split(":", 1)[1].strip() for part in data if isinstance(part, tuple)]
    finally:
        with suppress(imaplib.IMAP4.error, OSError):
            imap.logout()


def _logs(tmp_path):
    return "\n".join(f"--- {name}\n" + (tmp_path / name).read_text(errors="replace")[-6000:]
                     for name in ("worker.log", "beat.log") if (tmp_path / name).exists())


def _count(var_dir, localpart, folder, message_id):
    return _query(var_dir, """SELECT count(*) FROM store_message m JOIN store_folder f ON f.id = m.folder_id
                              JOIN directory_account a ON a.id = m.account_id
                              WHERE a.localpart = ? AND f.name = ? AND m.message_id = ?""",
                  localpart, folder, message_id)[0][0]


def _schedule(env, procs, plan):
    """Schedule through scheduled.schedule, the webmail's path; {tag: (pk, send_at epoch)}."""
    out = procs.manage(env, "shell", "-v", "0", "-c", SCHEDULE.format(plan=plan)).stdout
    return {tag: (int(pk), float(at)) for _word, tag, pk, at in
            (line.split() for line in out.splitlines() if line.startswith("scheduled "))}


def _wipe_broker(var_dir):
    queue = var_dir / "broker" / "queue"  # settings.CELERY_BROKER_TRANSPORT_OPTIONS
    lost = len(list(queue.iterdir()))
    shutil.rmtree(queue)
    queue.mkdir()
    return lost


@pytest.fixture
def hopthu(process_env, procs, tmp_path):
    """A migrated var dir with alice and bob, and a list of the processes to kill at the end."""
    env = process_env
    procs.manage(env, "migrate", "--noinput", "-v0")
    procs.manage(env, "mail", "domain", "add", "example.test")
    for address in ("alice@example.test", "bob@example.test"):
        subprocess.run([sys.executable, "manage.py", "mail", "account", "add", address, "--password-stdin"],
                       cwd=procs.ROOT, env=env, input=PASSWORD + "\n", text=True, check=True, capture_output=True)
    running = []
    yield env, procs.Path(env["HOPTHU_VAR_DIR"]), running
    for proc in running:
        procs.kill_tree(proc)
    print(_logs(tmp_path))  # pytest shows it only when the test failed


def _restart_and_wait(env, var_dir, procs, tmp_path, running, message_id, before):
    """Start worker and beat again; return seconds until message_id is in bob's INBOX, the
    time it arrived (epoch), and the Message-IDs bob's INBOX holds over IMAP a moment later."""
    restarted = time.monotonic()
    running[:] = _start_all(env, procs, tmp_path)
    procs.wait_for(lambda: _count(var_dir, "bob", "INBOX", message_id), DEADLINE, interval=0.2,
                   what=f"{message_id} in bob's INBOX")
    delay, arrived = time.monotonic() - restarted, time.time()
    # The restarted mail core (a new heartbeat) serves it over IMAP.
    procs.wait_for(lambda: {row[1] for row in procs.heartbeats(var_dir)} - {row[1] for row in before}, 30,
                   what="the restarted mail core")
    time.sleep(3)  # room for a second copy to arrive, if anything were to send it again
    return delay, arrived, _imap_inbox_ids(int(env["HOPTHU_PORT_IMAP"]))


def test_scheduled_send_survives_sigkill_of_every_process_and_a_wiped_broker(hopthu, procs, tmp_path):
    env, var_dir, running = hopthu
    running[:] = _start_all(env, procs, tmp_path)
    first = procs.wait_for(lambda: procs.heartbeats(var_dir), 60, what="the mail core")
    # Scheduled while worker and beat run: the Celery task (eta = send time) goes to the broker.
    rows = _schedule(env, procs, (("soon", DELAY), ("later", 3600)))
    (soon_pk, send_at), (later_pk, _later_at) = rows["soon"], rows["later"]
    killed = _kill_everything(running, procs)
    assert len(killed) >= 3  # worker, its pool child, beat (and the delivery process)
    assert time.time() < send_at, "killed too late: the test no longer proves anything"
    lost = _wipe_broker(var_dir)
    assert _status(var_dir, soon_pk) == ("waiting", None)

    time.sleep(max(0.0, send_at - time.time()) + 2)  # the time passes with nothing running
    assert _count(var_dir, "bob", "INBOX", SOON) == 0
    delay, arrived, ids = _restart_and_wait(env, var_dir, procs, tmp_path, running, SOON, first)
    print(f"\nkilled {len(killed)} processes, wiped {lost} broker messages; delivered {delay:.1f} s after "
          f"the restart, {arrived - send_at:.1f} s after its time")
    assert ids == [SOON]  # once; "later" has not left
    assert _count(var_dir, "alice", "Sent", SOON) == 1
    status, queued_id = _status(var_dir, soon_pk)
    assert status == "sent" and queued_id is not None
    assert _status(var_dir, later_pk) == ("waiting", None)
    assert delay < DEADLINE


def test_a_scheduled_send_killed_as_it_leaves_is_delivered_once(hopthu, procs, tmp_path):
    env, var_dir, running = hopthu
    running[:] = _start_all(env, procs, tmp_path)
    first = procs.wait_for(lambda: procs.heartbeats(var_dir), 60, what="the mail core")
    pk, send_at = _schedule(env, procs, (("leaving", 3),))["leaving"]
    # SIGKILL the moment the row says sent: the message is queued, usually not yet delivered.
    procs.wait_for(lambda: _status(var_dir, pk)[0] == "sent", 30, interval=0.01, what="the row marked sent")
    killed_after = time.time() - send_at
    killed = _kill_everything(running, procs)
    delivered_before = _count(var_dir, "bob", "INBOX", LEAVING)
    _wipe_broker(var_dir)
    delay, _arrived, ids = _restart_and_wait(env, var_dir, procs, tmp_path, running, LEAVING, first)
    print(f"\nkilled {len(killed)} processes {killed_after:.1f} s after the send time, "
          f"{'after' if delivered_before else 'before'} delivery; in the INBOX {delay:.1f} s after the restart")
    assert ids == [LEAVING]
    assert _count(var_dir, "alice", "Sent", LEAVING) == 1
    assert _status(var_dir, pk)[0] == "sent"
