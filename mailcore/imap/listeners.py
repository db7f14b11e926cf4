"""The IMAP listeners the mail-core host starts: 143 with STARTTLS, 993 with implicit TLS."""
from mailcore.service.host import register_listener
from mailcore.service.stream import stream_listener_factory

from .server import serve

# The StreamReader limit bounds one line (reader.py reads literals separately).
STREAM_LIMIT = 65_536 + 2


async def _close_watcher(host):
    watcher = getattr(host, "imap_watcher", None)
    if watcher is not None:
        await watcher.close()


FACTORIES = [
    register_listener(stream_listener_factory("imap", "imap", False, serve, limit=STREAM_LIMIT,
                                              on_close=_close_watcher)),
    register_listener(stream_listener_factory("imaps", "imaps", True, serve, limit=STREAM_LIMIT,
                                              on_close=_close_watcher)),
]
