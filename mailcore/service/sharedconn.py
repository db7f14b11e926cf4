"""Connections per client address counted across every process of every node, in Redis.

connlimit.py counts a process's own connections; with HOPTHU_REDIS_URL (by default the
Celery broker's URL when that is Redis) the per-address limit of IMAP and POP3 is also
checked against the cluster's total, so a client behind a balancer can't open the limit
on each node. One hash per client address, one field per process with its count:

    hopthu:conn:<address>   {<process id>: <open connections>}

A process proves it is alive with hopthu:conn-alive:<process id>, set every
ALIVE_SECONDS with an expiry of three times that; a process that died (kill -9, a lost
node) stops renewing it, and the next admission drops its fields, so its connections
stop counting within ALIVE_TTL seconds. Admission is one Lua script: read, prune, decide
and count atomically.

When Redis can't be reached the check falls back to the process's own count (it admits
rather than refuse every client) and logs it; acquire() returns None then.
"""
import logging
import os
import secrets
import socket
import threading

from django.conf import settings

log = logging.getLogger(__name__)

PREFIX = "hopthu:conn:"
ALIVE_PREFIX = "hopthu:conn-alive:"
ALIVE_SECONDS = 10
ALIVE_TTL = 3 * ALIVE_SECONDS
KEY_TTL = 86400  # an address's hash outlives no process: refreshed at each admission

# KEYS[1] the address's hash; ARGV: this process, the limit, the alive prefix, the hash's TTL.
ACQUIRE = """
local total = 0
local fields = redis.call('HGETALL', KEYS[1])
for i = 1, #fields, 2 do
    if redis.call('EXISTS', ARGV[3] .. fields[i]) == 1 then
        total = total + tonumber(fields[i + 1])
    else
        redis.call('HDEL', KEYS[1], fields[i])
    end
end
if total >= tonumber(ARGV[2]) then
    return 0
end
redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[4]))
return 1
"""
RELEASE = """
if redis.call('HINCRBY', KEYS[1], ARGV[1], -1) <= 0 then
    redis.call('HDEL', KEYS[1], ARGV[1])
end
return 1
"""


class SharedConnections:
    def __init__(self, url: str):
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.process = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        self._acquire = self.client.register_script(ACQUIRE)
        self._release = self.client.register_script(RELEASE)
        self._stop = threading.Event()
        self._alive_thread = threading.Thread(target=self._keep_alive, name="shared-connections", daemon=True)
        self._alive_thread.start()

    def _say_alive(self):
        self.client.set(ALIVE_PREFIX + self.process, "1", ex=ALIVE_TTL)

    def _keep_alive(self):
        while True:
            try:
                self._say_alive()
            except Exception as error:
                log.warning("could not tell Redis this process is alive: %s", error)
            if self._stop.wait(ALIVE_SECONDS):
                return

    def acquire(self, key: str, per_address: int) -> bool | None:
        """Blocking: count one more connection of key cluster-wide; False if that would pass
        per_address, None if Redis can't be reached (nothing counted there)."""
        try:
            self._say_alive()  # a fresh process counts from its first connection
            return bool(self._acquire(keys=[PREFIX + key], args=[self.process, per_address, ALIVE_PREFIX, KEY_TTL]))
        except Exception as error:
            log.warning("cluster-wide connection count unavailable (%s): counting this process only", error)
            return None

    def release(self, key: str):
        try:
            self._release(keys=[PREFIX + key], args=[self.process])
        except Exception as error:
            log.warning("could not release a cluster-wide connection count: %s", error)

    def count(self, key: str) -> int:
        """The cluster's open connections of key, live processes only (for tests and the panel)."""
        total = 0
        for process, value in self.client.hgetall(PREFIX + key).items():
            if self.client.exists(ALIVE_PREFIX + process.decode()):
                total += int(value)
        return total

    def close(self):
        self._stop.set()
        try:
            self.client.delete(ALIVE_PREFIX + self.process)
        except Exception:
            log.debug("could not remove this process's alive key", exc_info=True)
        self.client.close()


_lock = threading.Lock()
_shared: dict[str, SharedConnections] = {}


def shared_connections() -> SharedConnections | None:
    """This process's counter for HOPTHU_REDIS_URL, or None without Redis."""
    url = settings.HOPTHU_REDIS_URL
    if not url:
        return None
    with _lock:
        if url not in _shared:
            _shared[url] = SharedConnections(url)
        return _shared[url]
