"""Limits on one client of the stream listeners (IMAP, POP3): connections and command rate.

Connections: each listener process counts its open connections per client address and
refuses one over HOPTHU_MAX_CONNECTIONS_PER_IP, or over HOPTHU_MAX_CONNECTIONS in all, with
the protocol's "try again later" line. An IPv6 client counts by its /64, which is what one
subscriber gets; a NAT'd office shares one IPv4 address, hence a generous default.

Across nodes (issue 20): with HOPTHU_REDIS_URL the per-address limit is also checked
against the count of every process of the cluster, kept in Redis (sharedconn.py). The
limit in all stays per process: it guards this process's file descriptors.

Commands: each session takes a token per command from a bucket of HOPTHU_COMMAND_BURST
tokens refilled at HOPTHU_COMMANDS_PER_SECOND. When it is empty the session waits before
reading the next command: a flooding client is slowed by TCP back-pressure rather than cut
off (it would only reconnect), and waiting costs the server nothing but the socket.
"""
import asyncio
import contextlib
import ipaddress
import logging
import resource
import threading
import time
from collections import Counter
from collections.abc import AsyncIterator

from django.conf import settings

from .sharedconn import shared_connections

log = logging.getLogger(__name__)

TOO_MANY_FROM_ADDRESS = "Too many connections from your address"
TOO_MANY_IN_ALL = "Too many connections; try again later"
# Without HOPTHU_MAX_CONNECTIONS, this share of the open-files limit: the rest is for the
# database, blobs and logs, so a full server answers "try later" instead of failing accept().
AUTOMATIC_SHARE = 0.75


def client_key(ip: str | None) -> str:
    """The address a client is counted by: IPv4 as is, IPv6 by its /64."""
    if not ip:
        return ""
    try:
        address = ipaddress.ip_address(ip.split("%", 1)[0])
    except ValueError:
        return ip
    if address.version == 6:
        if address.ipv4_mapped is not None:  # a dual-stack socket's IPv4 client
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


class ConnectionCounter:
    """Open connections of this process, per client address.

    Locked, as a process may run several loops (tests run several hosts); every holder
    is cheap and never waits on anything else.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._open: Counter[str] = Counter()
        self.total = 0

    def acquire(self, key: str, per_address: int, in_all: int) -> str | None:
        """Count one more connection of `key`; return None, or why it is refused (0: no limit)."""
        with self._lock:
            if per_address and self._open[key] >= per_address:
                return TOO_MANY_FROM_ADDRESS
            if in_all and self.total >= in_all:
                return TOO_MANY_IN_ALL
            self._open[key] += 1
            self.total += 1
            return None

    def release(self, key: str):
        with self._lock:
            self._open[key] -= 1
            if self._open[key] <= 0:
                del self._open[key]
            self.total -= 1

    def count(self, key: str) -> int:
        with self._lock:
            return self._open.get(key, 0)


CONNECTIONS = ConnectionCounter()


def total_limit() -> int:
    """HOPTHU_MAX_CONNECTIONS, or (0) a share of the process's open-files limit."""
    if settings.HOPTHU_MAX_CONNECTIONS:
        return max(settings.HOPTHU_MAX_CONNECTIONS, 0)
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    return 0 if soft == resource.RLIM_INFINITY else int(soft * AUTOMATIC_SHARE)


@contextlib.asynccontextmanager
async def connection_slot(host, writer) -> AsyncIterator[str | None]:
    """Hold a connection slot of the client while the block runs.

    Yields None when admitted, else the reason to send before closing (nothing is held
    then). The slot is released however the block ends: return, error, cancellation.
    """
    peer = writer.get_extra_info("peername")
    key = client_key(peer[0] if isinstance(peer, tuple) else None)
    per_address = settings.HOPTHU_MAX_CONNECTIONS_PER_IP
    refusal = CONNECTIONS.acquire(key, per_address, total_limit())
    shared = shared_connections() if per_address and refusal is None else None
    counted = None
    if shared is not None:
        counted = await host.run_blocking(shared.acquire, key, per_address)
        if counted is False:  # this process had room; the cluster has not
            CONNECTIONS.release(key)
            refusal = TOO_MANY_FROM_ADDRESS
    if refusal is not None:
        log.info("refused a connection from %s: %s", key, refusal)
        yield refusal
        return
    try:
        yield None
    finally:
        CONNECTIONS.release(key)
        if counted:
            await host.run_blocking(shared.release, key)


class CommandRate:
    """A session's token bucket: `burst` commands at once, then `per_second` (0: no limit)."""

    def __init__(self, per_second: float | None = None, burst: int | None = None, clock=time.monotonic):
        self.per_second = settings.HOPTHU_COMMANDS_PER_SECOND if per_second is None else per_second
        self.burst = max(settings.HOPTHU_COMMAND_BURST if burst is None else burst, 1)
        self.clock = clock
        self.tokens = float(self.burst)
        self.stamp = clock()

    def delay(self) -> float:
        """Take the token of one command; return the seconds to wait before reading it."""
        if self.per_second <= 0:
            return 0.0
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.per_second) - 1
        self.stamp = now
        return -self.tokens / self.per_second if self.tokens < 0 else 0.0

    async def wait(self):
        delay = self.delay()
        if delay:
            await asyncio.sleep(delay)
