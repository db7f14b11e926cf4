"""Smoke test of `make run`: the real setup, then the very command make runs after it.

`make run` = `make setup` (venv, then scripts/setup) + scripts/serve. The venv is the one
running this test, so the test runs scripts/setup and scripts/serve directly, in a temp
HOPTHU_VAR_DIR with free loopback ports, and checks: the web answers, the worker's mail
core writes a heartbeat, and Ctrl-C (SIGINT to the foreground process group) stops every
process of the tree within the timeout, the mail core deleting its heartbeat on the way.
"""
import json
import os
import signal
import subprocess
import urllib.request

import pytest

pytestmark = pytest.mark.slow

STOP_TIMEOUT = 40


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except OSError:
        return None, b""


def test_make_run_starts_and_stops_everything(process_env, procs, tmp_path):
    env = process_env
    var_dir = procs.Path(env["HOPTHU_VAR_DIR"])
    setup = subprocess.run(["scripts/setup"], cwd=procs.ROOT, env=env, capture_output=True, text=True,
                           timeout=300)
    assert setup.returncode == 0, setup.stdout + setup.stderr
    assert "admin  password:" in setup.stdout
    assert (var_dir / "tls" / "cert.pem").exists()
    assert (var_dir / "tls" / "key.pem").stat().st_mode & 0o077 == 0
    assert (var_dir / "broker" / "queue").is_dir()

    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log:
        # Own session: like a terminal, SIGINT goes to the foreground group (honcho).
        serve = subprocess.Popen(["scripts/serve"], cwd=procs.ROOT, env=env, stdout=log,
                                 stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{env['HOPTHU_WEB_PORT']}"
    tree = set()
    try:
        def healthy():
            status, body = _get(base + "/healthz")
            if status != 200:
                return None
            nodes = [n for n in json.loads(body)["mailcore"] if n["alive"]]
            return nodes or None

        nodes = procs.wait_for(healthy, 90, interval=0.5, what="/healthz with a live mail-core node")
        worker_pids = {int(n["node"].rsplit(":", 1)[1]) for n in nodes}
        assert procs.heartbeats(var_dir)
        status, body = _get(base + "/")
        assert status == 200 and b"HopThu" in body
        status, _ = _get(base + "/static/hopthu.css")  # whitenoise, DEBUG off, collected
        assert status == 200

        tree = procs.descendants(serve.pid) | {serve.pid}
        assert worker_pids <= tree
        assert len(tree) >= 5  # honcho, web, worker wrapper, worker, its pool child, beat
        os.killpg(serve.pid, signal.SIGINT)
        serve.wait(STOP_TIMEOUT)
        procs.wait_for(lambda: not any(procs.alive(pid) for pid in tree), 10,
                       what="every child to exit")
    except BaseException:
        procs.kill_tree(serve, tree)
        print(log_path.read_text(errors="replace"))
        raise
    out = log_path.read_text(errors="replace")
    assert "SIGINT received" in out
    assert "sending SIGKILL" not in out, out
    assert procs.heartbeats(var_dir) == [], out  # the mail core stopped cleanly
