"""Connections per client address counted across nodes (issue 20, service/sharedconn.py):
with HOPTHU_REDIS_URL, connections another node holds count against the limit here, a
dead node's stop counting, and a session gives its count back when it ends. Through the
real IMAP and POP3 listeners and a real redis-server."""
import poplib
import socket
import time

import pytest
import redis

from mailcore.service import sharedconn
from mailcore.service.sharedconn import SharedConnections

BUSY = b"* BYE [UNAVAILABLE] Too many connections from your address\r\n"
ADDRESS = "127.0.0.1"


@pytest.fixture
def cluster_redis(settings, redis_url):
    url = redis_url.rsplit("/", 1)[0] + "/3"
    redis.Redis.from_url(url).flushdb()
    settings.HOPTHU_REDIS_URL = url
    settings.HOPTHU_MAX_CONNECTIONS_PER_IP = 2
    yield url
    for counter in sharedconn._shared.values():
        counter.close()
    sharedconn._shared.clear()


@pytest.fixture
def other_node(cluster_redis):
    """Another node's process, as it writes its counts to the same Redis."""
    node = SharedConnections(cluster_redis)
    yield node
    node.close()


def greeting(port) -> tuple[socket.socket, bytes]:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    return sock, sock.makefile("rb").readline()


def wait_until(predicate, seconds=10.0):
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_connections_held_on_another_node_count_against_the_limit(imap_host, other_node):
    assert other_node.acquire(ADDRESS, 2) and other_node.acquire(ADDRESS, 2)
    sock, line = greeting(imap_host.ports["imap"])
    sock.close()
    assert line == BUSY
    other_node.release(ADDRESS)
    sock, line = greeting(imap_host.ports["imap"])
    try:
        assert line.startswith(b"* OK")
        assert other_node.count(ADDRESS) == 2  # one there, one here
    finally:
        sock.close()
    wait_until(lambda: other_node.count(ADDRESS) == 1)  # given back when the session ended


def test_a_dead_nodes_connections_stop_counting(imap_host, other_node, cluster_redis):
    assert other_node.acquire(ADDRESS, 2) and other_node.acquire(ADDRESS, 2)
    other_node._stop.set()  # the node is killed: it no longer says it is alive
    redis.Redis.from_url(cluster_redis).delete(sharedconn.ALIVE_PREFIX + other_node.process)  # its key expired
    sock, line = greeting(imap_host.ports["imap"])
    sock.close()
    assert line.startswith(b"* OK")


def test_pop3_counts_across_nodes_too(pop3_host, other_node):
    assert other_node.acquire(ADDRESS, 2) and other_node.acquire(ADDRESS, 2)
    with pytest.raises(poplib.error_proto, match=r"\[SYS/TEMP\] Too many connections"):
        poplib.POP3("127.0.0.1", pop3_host.ports["pop3"], timeout=10)


def test_without_redis_the_limit_is_per_process(imap_host, settings):
    settings.HOPTHU_REDIS_URL = ""
    assert sharedconn.shared_connections() is None
    sock, line = greeting(imap_host.ports["imap"])
    sock.close()
    assert line.startswith(b"* OK")


@pytest.fixture
def pop3_host(settings, tmp_path, transactional_db):
    from mailcore.pop3.listeners import FACTORIES
    from tests.support.hosts import running_host

    with running_host(settings, tmp_path, FACTORIES, ("pop3", "pop3s")) as host:
        yield host
