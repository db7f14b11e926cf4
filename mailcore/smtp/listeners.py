"""The SMTP listeners the mail-core host starts: MX (25), submission with STARTTLS (587),
submission over implicit TLS (465, RFC 8314) and the relay port for applications (2525).
Ports, hostname and limits come from settings; all share one handler and one group
committer."""
import asyncio

from django.conf import settings

from mailcore.delivery.runner import start_local_delivery_default
from mailcore.service.host import register_listener
from mailcore.service.proxied import listening
from mailcore.service.tls import ensure_certificate, server_context

from .committer import GroupCommitter
from .handler import MailHandler
from .session import MailSession

LISTENERS = (
    # name, settings port key, mode, implicit TLS
    ("smtp", "smtp", "mx", False),
    ("submission", "submission", "submission", False),
    ("submissions", "submissions", "submissions", True),
    ("relay", "relay", "relay", False),  # applications and devices (docs/relay.md)
)


SHUTDOWN_GRACE_SECONDS = 1.0  # for sessions to take their 421 before they are cut
# A PROXY header from outside HOPTHU_PROXY_NETWORKS (service/proxied.py): RFC 5321 §3.8.
PROXY_REFUSAL = "421 4.7.0 {hostname} The PROXY protocol is not accepted from your address\r\n"


class SMTPListener:
    def __init__(self, server, info: dict, sessions: set):
        self.server = server
        self.info = info
        self.sessions = sessions  # the open MailSessions, kept by MailSession itself

    async def close(self) -> None:
        """Stop listening and end every open session with 421 (RFC 5321 §3.8: the server
        is shutting down). Python 3.11's Server.close leaves open connections alone, and a
        session never ended never gives back its connection slot."""
        self.server.close()
        for session in list(self.sessions):
            session.shut_down()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + SHUTDOWN_GRACE_SECONDS
        while self.sessions and loop.time() < deadline:
            await asyncio.sleep(0.01)
        for session in list(self.sessions):
            if session.transport is not None:
                session.transport.abort()
        await asyncio.sleep(0)  # connection_lost runs on the next turn
        await self.server.wait_closed()


def _handler(host) -> MailHandler:
    handler = getattr(host, "smtp_handler", None)
    if handler is None:
        handler = host.smtp_handler = MailHandler(host, GroupCommitter(host))
    return handler


def _tls_context():
    ensure_certificate()  # self-signed on first run, as `make run` does
    return server_context()


def listener_factory(name: str, port_key: str, mode: str, implicit_tls: bool):
    async def start(host) -> SMTPListener:
        handler = _handler(host)
        context = await host.run_blocking(_tls_context)
        sessions: set[MailSession] = set()

        def protocol():
            return MailSession(
                handler, mode=mode, implicit_tls=implicit_tls, sessions=sessions,
                data_size_limit=settings.HOPTHU_MAX_MESSAGE_SIZE, enable_SMTPUTF8=True,
                hostname=settings.HOPTHU_HOSTNAME, ident="HopThu ESMTP",
                tls_context=None if implicit_tls else context,
                timeout=getattr(settings, "HOPTHU_SMTP_TIMEOUT", 300), loop=host.loop,
            )

        # Behind a TCP proxy (HOPTHU_PROXY_NETWORKS): its PROXY header first, then TLS.
        factory, tls = listening(protocol, context if implicit_tls else None, refusal=PROXY_REFUSAL.format(
            hostname=settings.HOPTHU_HOSTNAME).encode())
        server = await host.loop.create_server(
            factory, settings.HOPTHU_LISTEN_ADDRESS, settings.HOPTHU_PORTS[port_key], ssl=tls, reuse_address=True,
        )
        for sock in server.sockets:
            host.close_in_children(sock.fileno())
        port = server.sockets[0].getsockname()[1]
        return SMTPListener(server, {"name": name, "port": port, "tls": "implicit" if implicit_tls else "starttls"},
                            sessions)

    start.__name__ = f"start_{name}"
    return start


FACTORIES = [register_listener(listener_factory(*spec)) for spec in LISTENERS]
register_listener(start_local_delivery_default)
