"""Several processes on one store: UID order under concurrent appends, and a crash.

These run real OS processes against the test database (SQLite file or PostgreSQL),
because a single writer in one process hides the races that matter.
"""
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from mailcore.store import blobs, gc
from mailcore.store.append import append
from mailcore.store.gc import collect_garbage
from mailcore.store.messages import quota_usage
from mailcore.store.models import Blob, Folder, Message

WORKER = Path(__file__).with_name("append_worker.py")
pytestmark = pytest.mark.django_db(transaction=True)


def start_worker(account, count, tag, settings, *extra):
    env = {"HOPTHU_BLOB_DIR": str(settings.HOPTHU_BLOB_DIR), "PATH": "/usr/bin:/bin"}
    import os

    env.update({k: v for k, v in os.environ.items() if k in ("DATABASE_URL", "HOPTHU_VAR_DIR", "HOME")})
    return subprocess.Popen(
        [sys.executable, str(WORKER), str(connection.settings_dict["NAME"]), str(account.pk), str(count), tag, *extra],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def test_uids_become_visible_in_increasing_order_with_two_writers(alice, settings):
    count = 60
    workers = [start_worker(alice, count, tag, settings) for tag in ("left", "right")]
    previous, violations, polls = set(), [], 0
    while any(w.poll() is None for w in workers) or polls == 0:
        polls += 1
        visible = set(Message.objects.filter(account=alice).values_list("uid", flat=True))
        # A UID appearing below one already seen would be missed by IMAP clients.
        late = [uid for uid in visible - previous if previous and uid < max(previous)]
        if late:
            violations.append(late)
        previous = visible
        time.sleep(0.005)
    for worker in workers:
        _out, err = worker.communicate()
        assert worker.returncode == 0, err
    uids = sorted(Message.objects.filter(account=alice).values_list("uid", flat=True))
    assert uids == list(range(1, 2 * count + 1))
    assert Folder.objects.get(account=alice, name="INBOX").uidnext == 2 * count + 1
    assert violations == []
    assert quota_usage(alice.pk)[2] == 2 * count


def test_a_crash_inside_an_append_leaves_no_half_message(alice, settings, message):
    append(alice.pk, "INBOX", message("before"))
    worker = start_worker(alice, 1, "doomed", settings, "crash")
    worker.communicate(timeout=60)
    assert worker.returncode == 9
    assert list(Message.objects.values_list("subject", flat=True)) == ["before"]
    inbox = Folder.objects.get(account=alice, name="INBOX")
    assert inbox.uidnext == 2
    assert quota_usage(alice.pk)[2] == 1
    assert Blob.objects.count() == 1
    # The crashed append installed its file; collection removes it after the grace period.
    collected = collect_garbage(grace_seconds=0)
    assert collected.stray_files == 1
    files = [p for p in blobs.blob_root().rglob("*") if p.is_file() and p.name != gc.HOLD_FILE]  # backups' lock
    assert [p.name for p in files] == [Blob.objects.get().digest]
    # And the store carries on.
    assert append(alice.pk, "INBOX", message("after")).uid == 2
