"""The IMAP listeners the mail-core host starts: 143 with STARTTLS, 993 with implicit TLS,
served by HOPTHU_IMAP_PROCESSES processes (service/workers.py)."""
from mailcore.service.host import register_listener
from mailcore.service.stream import stream_listener_factory
from mailcore.service.workers import listener_workers_factory

from .server import serve

# The StreamReader limit bounds one line (reader.py reads literals separately).
STREAM_LIMIT = 65_536 + 2
PROCESSES = "HOPTHU_IMAP_PROCESSES"


async def _close_watcher(host):
    for watcher in (getattr(host, "imap_watcher", None), getattr(host, "disabled_watch", None)):
        if watcher is not None:
            await watcher.close()


# A PROXY header from outside HOPTHU_PROXY_NETWORKS (service/proxied.py): RFC 9051 §7.1.5.
PROXY_REFUSAL = b"* BYE The PROXY protocol is not accepted from your address\r\n"

FACTORIES = [
    register_listener(stream_listener_factory("imap", "imap", False, serve, limit=STREAM_LIMIT,
                                              on_close=_close_watcher, processes_setting=PROCESSES,
                                              proxy_refusal=PROXY_REFUSAL)),
    register_listener(stream_listener_factory("imaps", "imaps", True, serve, limit=STREAM_LIMIT,
                                              on_close=_close_watcher, processes_setting=PROCESSES,
                                              proxy_refusal=PROXY_REFUSAL)),
]
# More processes on the same ports (HOPTHU_IMAP_PROCESSES): IMAP then uses every core.
WORKERS = register_listener(listener_workers_factory("imap-workers", "mailcore.imap.listeners:FACTORIES",
                                                     ("imap", "imaps"), PROCESSES))
