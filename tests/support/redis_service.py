"""The Redis server of tests that need one (Celery's broker, the cluster's shared notices).

scripts/test-services starts one and exports HOPTHU_TEST_REDIS_URL. Without it a test
starts its own from Debian's redis-server (loopback, a free port, nothing on disk); under
CI a missing server is a failure, never a skip (DESIGN.md, Tests).
"""
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

REDIS_SERVER = "/usr/bin/redis-server"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture(scope="session")
def redis_url():
    """A redis:// URL of a running server's database 0."""
    if os.environ.get("HOPTHU_TEST_REDIS_URL"):
        yield os.environ["HOPTHU_TEST_REDIS_URL"]
        return
    if not shutil.which(REDIS_SERVER):
        message = "no Redis: run the tests through scripts/test-services (it installs redis-server)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with tempfile.TemporaryDirectory(prefix="hopthu-redis.") as workdir:
        port = _free_port()
        process = subprocess.Popen(
            [REDIS_SERVER, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no",
             "--dir", workdir, "--logfile", str(Path(workdir) / "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 20
            while not _answers(port):
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("redis-server did not start: " + (Path(workdir) / "redis.log").read_text())
                time.sleep(0.05)
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            process.terminate()
            process.wait(10)
