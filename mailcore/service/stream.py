"""A TCP listener for an asyncio-streams protocol (IMAP, POP3) hosted by the mail core.

Binds HOPTHU_LISTEN_ADDRESS on the configured port, with implicit TLS or not, keeps the
listening socket out of forked children, and cancels open sessions when it closes.
"""
import asyncio

from django.conf import settings

from .proxied import listening
from .tls import ensure_certificate, server_context
from .workers import shares_ports


class StreamListener:
    def __init__(self, server, info: dict, sessions: set, on_close=None):
        self.server = server
        self.info = info
        self.sessions = sessions  # tasks of open connections
        self.on_close = on_close

    async def close(self):
        self.server.close()
        await self.server.wait_closed()
        for task in list(self.sessions):
            task.cancel()
        await asyncio.gather(*self.sessions, return_exceptions=True)
        if self.on_close is not None:
            await self.on_close()


def _tls_context():
    ensure_certificate()  # self-signed on first run, as `make run` does
    return server_context()


def stream_listener_factory(name: str, port_key: str, implicit_tls: bool, serve, *, limit: int, on_close=None,
                            processes_setting: str | None = None, proxy_refusal: bytes = b""):
    """A host factory: `serve(host, reader, writer, implicit_tls=...)` runs one session.

    processes_setting names the setting of how many processes serve the port (workers.py);
    above one, the socket is bound with SO_REUSEPORT so they can share it. proxy_refusal
    is the line for a client that sends a PROXY header it may not send (proxied.py).
    """

    async def start(host) -> StreamListener:
        context = await host.run_blocking(_tls_context)
        sessions: set[asyncio.Task] = set()

        async def handle(reader, writer):
            task = asyncio.current_task()
            sessions.add(task)
            try:
                await serve(host, reader, writer, implicit_tls=implicit_tls)
            finally:
                sessions.discard(task)

        def stream_protocol():  # what asyncio.start_server makes for each connection
            return asyncio.StreamReaderProtocol(asyncio.StreamReader(limit=limit), handle)

        # Behind a TCP proxy (HOPTHU_PROXY_NETWORKS): its PROXY header first, then TLS.
        factory, tls = listening(stream_protocol, context if implicit_tls else None, proxy_refusal)
        server = await asyncio.get_running_loop().create_server(
            factory, settings.HOPTHU_LISTEN_ADDRESS, settings.HOPTHU_PORTS[port_key], ssl=tls, reuse_address=True,
            reuse_port=bool(processes_setting) and shares_ports(processes_setting),
        )
        for sock in server.sockets:
            host.close_in_children(sock.fileno())
        port = server.sockets[0].getsockname()[1]
        info = {"name": name, "port": port, "tls": "implicit" if implicit_tls else "starttls"}
        return StreamListener(server, info, sessions, on_close=(lambda: on_close(host)) if on_close else None)

    start.__name__ = f"start_{name}"
    return start
