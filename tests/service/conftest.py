"""Helpers for tests that run HopThu's real processes: temp var dirs, free ports, process trees."""
import contextlib
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PORT_NAMES = ("smtp", "submission", "submissions", "relay", "imap", "imaps", "pop3", "pop3s")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout, interval=0.2, what="condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def descendants(pid: int) -> set[int]:
    """Every process below pid (Linux /proc)."""
    found, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except FileNotFoundError:
            continue
        for tid in tasks:
            try:
                children = Path(f"/proc/{parent}/task/{tid}/children").read_text().split()
            except (FileNotFoundError, ProcessLookupError):
                continue
            for child in map(int, children):
                if child not in found:
                    found.add(child)
                    todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state not in ("Z", "X")


def kill_tree(proc: subprocess.Popen, pids=()) -> None:
    """Last resort after a failed test: SIGKILL the process, its group and pids."""
    for pid in {*pids, *descendants(proc.pid)}:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(10)


def heartbeats(var_dir: Path) -> list[tuple]:
    """Heartbeat rows of the SQLite database in var_dir, read without Django."""
    db = var_dir / "hopthu.sqlite3"
    if not db.exists():
        return []
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        return conn.execute("SELECT node, pid, listeners FROM service_heartbeat").fetchall()
    except sqlite3.OperationalError:  # not migrated yet
        return []
    finally:
        conn.close()


@pytest.fixture
def process_env(tmp_path, quiet_dns):
    """Environment for a HopThu subprocess: its own var dir, SQLite, loopback, free ports."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"}
           and not k.startswith("HOPTHU_PORT_")}
    var_dir = tmp_path / "var"
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "HOPTHU_VAR_DIR": str(var_dir),
        "HOPTHU_HEARTBEAT_SECONDS": "1",
        "HOPTHU_LISTEN_ADDRESS": "127.0.0.1",
        "HOPTHU_WEB_BIND": "127.0.0.1",
        "HOPTHU_WEB_PORT": str(free_port()),
        "HOPTHU_WORKER_CONCURRENCY": "1",
        "HOPTHU_DNS_SERVERS": quiet_dns.address,
        "PYTHON": sys.executable,
        "PYTHONUNBUFFERED": "1",
    })
    env.pop("HOPTHU_BLOB_DIR", None)
    env.pop("HOPTHU_TLS_CERT", None)
    env.pop("HOPTHU_TLS_KEY", None)
    for name in PORT_NAMES:
        env[f"HOPTHU_PORT_{name.upper()}"] = str(free_port())
    return env


def manage(env, *args, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, timeout=timeout,
                          capture_output=True, text=True, check=True)


@pytest.fixture
def procs():
    """This module's helpers (free_port, wait_for, heartbeats, ...) for the tests."""
    return sys.modules[__name__]
