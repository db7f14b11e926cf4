"""Celery on Redis: a task sent through a real redis-server is run by a real worker.

The embedded filesystem broker is the single-node default; a cluster sets
CELERY_BROKER_URL=redis://... (docs/deploy.md), which needs the `redis` package.
"""
import secrets
import signal
import subprocess
import sys

import pytest
from celery import Celery

pytestmark = pytest.mark.slow


def _database(url: str, number: int) -> str:
    """The same server's database `number` (the suite's tests each use their own)."""
    return url.rsplit("/", 1)[0] + f"/{number}"


def test_a_task_goes_through_redis_to_a_worker_and_its_result_comes_back(process_env, procs, redis_url):
    broker = _database(redis_url, 1)
    env = {**process_env, "CELERY_BROKER_URL": broker, "CELERY_RESULT_BACKEND": broker}
    procs.manage(env, "migrate", "--noinput", "-v0")
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel", "INFO", "--concurrency", "1",
         "--without-heartbeat", "--without-gossip", "--without-mingle", "--hostname", "redis@%h"],
        cwd=procs.ROOT, env=env, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    client = Celery("test-client", broker=broker, backend=broker)
    token = secrets.token_hex(8)
    try:
        # Celery's own accumulate task echoes its arguments: broker out, result back.
        result = client.send_task("celery.accumulate", args=(token,))
        assert result.get(timeout=60) == [token]
        # The worker took it from Redis (it logs each task it receives).
        worker.send_signal(signal.SIGTERM)
        out, _ = worker.communicate(timeout=30)
    except BaseException:
        procs.kill_tree(worker)
        raise
    finally:
        client.close()
    assert "redis://127.0.0.1" in out
    assert f"Task celery.accumulate[{result.id}] received" in out
    assert worker.returncode == 0, out
