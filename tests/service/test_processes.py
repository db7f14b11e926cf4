"""The mail core as real processes: `manage.py mailcore`, and a worker with and without --mailcore."""
import json
import signal
import socket
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture
def migrated_env(process_env, procs):
    procs.manage(process_env, "migrate", "--noinput", "-v0")
    return process_env


def _start(env, procs, *args):
    return subprocess.Popen([sys.executable, *args], cwd=procs.ROOT, env=env, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_manage_mailcore_heartbeat_and_sigterm(migrated_env, procs):
    var_dir = procs.Path(migrated_env["HOPTHU_VAR_DIR"])
    proc = _start(migrated_env, procs, "manage.py", "mailcore")
    try:
        rows = procs.wait_for(lambda: procs.heartbeats(var_dir), 30, what="a heartbeat row")
        assert [row[1] for row in rows] == [proc.pid]
        listeners = {item["name"]: item.get("port") for item in json.loads(rows[0][2])}
        for name in ("smtp", "submission", "submissions", "relay"):
            assert listeners[name] == int(migrated_env[f"HOPTHU_PORT_{name.upper()}"])
        assert "local-delivery" in listeners
        with socket.create_connection(("127.0.0.1", listeners["smtp"]), timeout=10) as conn:
            assert conn.makefile("rb").readline().startswith(b"220 ")
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=15)
    except BaseException:
        procs.kill_tree(proc)
        print(proc.stdout.read() if proc.stdout else "")
        raise
    assert proc.returncode == 0, out
    assert "Stopped on SIGTERM" in out
    assert procs.heartbeats(var_dir) == []  # clean stop deletes its row


def _worker(env, procs, *extra):
    return _start(env, procs, "-m", "celery", "-A", "config", "worker", "--loglevel", "INFO",
                  "--concurrency", "1", "--without-heartbeat", "--without-gossip", "--without-mingle",
                  *extra)


def _stop(proc, procs, timeout=30, signalled=False):
    # One SIGTERM only: a second one during Celery's warm shutdown kills it outright.
    if not signalled:
        proc.send_signal(signal.SIGTERM)
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        procs.kill_tree(proc)
        raise
    return out


def test_worker_runs_the_mail_core_only_with_the_option(migrated_env, procs):
    var_dir = procs.Path(migrated_env["HOPTHU_VAR_DIR"])
    # Side by side (Celery takes seconds to stop): a plain worker and a --mailcore one.
    plain = _worker(migrated_env, procs, "--hostname", "plain@%h")
    mailcore = _worker(migrated_env, procs, "--hostname", "mailcore@%h", "--mailcore")
    lines, rows, waited = [], [], None
    try:
        procs.wait_for(lambda: _read_until(plain, lines, "ready."), 60, interval=0, what="the plain worker")
        try:
            rows = procs.wait_for(lambda: procs.heartbeats(var_dir), 60, what="the mail core's heartbeat")
        except AssertionError as error:
            waited = error  # reported below with the worker's own output
    finally:
        plain.send_signal(signal.SIGTERM)
        mailcore_out = _stop(mailcore, procs)
        plain_out = _stop(plain, procs, signalled=True)
    assert waited is None, f"{waited}; the --mailcore worker said:\n{mailcore_out}"
    # The host runs in the --mailcore worker's main process, and only there.
    assert [row[1] for row in rows] == [mailcore.pid]
    assert "mail core" not in "".join(lines) + plain_out
    assert plain.returncode == 0
    assert mailcore.returncode == 0, mailcore_out
    assert "mail core" in mailcore_out and "stopped" in mailcore_out
    assert procs.heartbeats(var_dir) == []


def _read_until(proc, lines, marker):
    line = proc.stdout.readline()
    if not line:
        raise AssertionError("process ended:\n" + "".join(lines))
    lines.append(line)
    return marker in line
