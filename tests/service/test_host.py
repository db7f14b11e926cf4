"""MailcoreHost in-process: listeners from the registry, the thread pool, the heartbeat."""
import asyncio
import socket
import threading

import pytest

from mailcore.service import host as host_module
from mailcore.service.host import MailcoreHost, register_listener, registered_listeners
from mailcore.service.models import Heartbeat


class EchoListener:
    """A minimal listener as later issues will register: a TCP server on 127.0.0.1."""

    def __init__(self, server, port):
        self.server = server
        self.info = {"name": "echo", "port": port, "tls": "none"}

    async def close(self):
        self.server.close()
        await self.server.wait_closed()


async def echo_factory(host):
    async def handle(reader, writer):
        writer.write(await reader.readline())
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    return EchoListener(server, server.sockets[0].getsockname()[1])


def in_loop(host, coro, timeout=10):
    return asyncio.run_coroutine_threadsafe(coro, host.loop).result(timeout)


# Threads of the pool use their own connections: the tests need committed data. Only the
# service app's table is flushed after each test (also quicker than flushing them all).
service_db = pytest.mark.django_db(transaction=True, available_apps=["mailcore.service"])


@pytest.fixture
def host():
    h = MailcoreHost(factories=[echo_factory], heartbeat_seconds=0.2, io_threads=2)
    yield h
    h.stop()


@service_db
def test_start_runs_listeners_and_writes_heartbeat(host):
    host.start()
    beat = Heartbeat.objects.get(node=host.node)
    port = beat.listeners[0]["port"]
    assert beat.listeners == [{"name": "echo", "port": port, "tls": "none"}]
    assert beat.pid == host.pid and host.node.endswith(f":{host.pid}")
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        conn.sendall(b"hello\r\n")
        assert conn.makefile("rb").readline() == b"hello\r\n"


@service_db
def test_heartbeat_is_refreshed(host, procs):
    host.start()
    first = Heartbeat.objects.get(node=host.node).last_seen
    procs.wait_for(lambda: Heartbeat.objects.get(node=host.node).last_seen > first, 5,
                   what="a newer heartbeat")


@service_db
def test_run_blocking_uses_the_bounded_pool(host):
    host.start()

    def work():
        return threading.current_thread().name, Heartbeat.objects.filter(node=host.node).count()

    async def many():
        return await asyncio.gather(*(host.run_blocking(work) for _ in range(10)))

    results = in_loop(host, many())
    assert {count for _, count in results} == {1}
    names = {name for name, _ in results}
    assert all(name.startswith("mailcore-io") for name in names)
    assert len(names) <= 2  # io_threads


@service_db
def test_stop_closes_listeners_and_deletes_heartbeat(host):
    host.start()
    port = host.listeners[0].info["port"]
    loop_thread = host._thread
    host.stop()
    assert not Heartbeat.objects.filter(node=host.node).exists()
    assert not loop_thread.is_alive()
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=2):
        pass
    host.stop()  # idempotent


@service_db
def test_a_failing_listener_fails_start():
    async def broken(host):
        raise OSError("address already in use")

    h = MailcoreHost(factories=[echo_factory, broken], heartbeat_seconds=0.2, io_threads=1)
    with pytest.raises(OSError, match="address already in use"):
        h.start()
    assert not h.running
    assert not Heartbeat.objects.exists()


def test_registry(monkeypatch):
    monkeypatch.setattr(host_module, "_LISTENER_FACTORIES", [])
    assert register_listener(echo_factory) is echo_factory
    register_listener(echo_factory)
    assert registered_listeners() == [echo_factory]
    assert MailcoreHost().factories == [echo_factory]


def test_broker_dirs_are_created(settings, tmp_path):
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(tmp_path / "b" / "queue"),
        "data_folder_out": str(tmp_path / "b" / "queue"),
        "control_folder": str(tmp_path / "b" / "control"),
    }
    host_module.ensure_broker_dirs()
    assert (tmp_path / "b" / "queue").is_dir() and (tmp_path / "b" / "control").is_dir()
