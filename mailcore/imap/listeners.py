"""The IMAP listeners the mail-core host starts: 143 with STARTTLS, 993 with implicit TLS."""
import asyncio

from django.conf import settings

from mailcore.service.host import register_listener
from mailcore.service.tls import ensure_certificate, server_context

from .server import serve

# The StreamReader limit bounds one line (reader.py reads literals separately).
STREAM_LIMIT = 65_536 + 2


class IMAPListener:
    def __init__(self, server, info, host, sessions: set):
        self.server = server
        self.info = info
        self.host = host
        self.sessions = sessions  # tasks of open connections

    async def close(self):
        self.server.close()
        await self.server.wait_closed()
        for task in list(self.sessions):
            task.cancel()
        await asyncio.gather(*self.sessions, return_exceptions=True)
        watcher = getattr(self.host, "imap_watcher", None)
        if watcher is not None:
            await watcher.close()


def _tls_context():
    ensure_certificate()
    return server_context()


def listener_factory(name: str, port_key: str, implicit_tls: bool):
    async def start(host) -> IMAPListener:
        context = await host.run_blocking(_tls_context)
        sessions: set[asyncio.Task] = set()

        async def handle(reader, writer):
            task = asyncio.current_task()
            sessions.add(task)
            try:
                await serve(host, reader, writer, implicit_tls=implicit_tls)
            finally:
                sessions.discard(task)

        server = await asyncio.start_server(
            handle, settings.HOPTHU_LISTEN_ADDRESS, settings.HOPTHU_PORTS[port_key],
            ssl=context if implicit_tls else None, limit=STREAM_LIMIT, reuse_address=True,
        )
        for sock in server.sockets:
            host.close_in_children(sock.fileno())
        port = server.sockets[0].getsockname()[1]
        return IMAPListener(server, {"name": name, "port": port, "tls": "implicit" if implicit_tls else "starttls"},
                            host, sessions)

    start.__name__ = f"start_{name}"
    return start


FACTORIES = [register_listener(listener_factory("imap", "imap", False)),
             register_listener(listener_factory("imaps", "imaps", True))]
