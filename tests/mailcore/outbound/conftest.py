"""A "remote" mail server for outbound tests: an aiosmtpd sink on loopback, found through the stub DNS.

    remote = sink()                      # 127.0.0.1, STARTTLS offered, SMTPUTF8 offered
    remote.rcpt_replies["x@example.net"] = "550 5.1.1 No such user"
    remote.data_reply = "451 4.3.0 Try later"
    publish_mx("example.net", (10, "mx1.example.net", "127.0.0.1"))

Every sink listens on the same port (HOPTHU_OUTBOUND_PORT), each on its own loopback
address, so several "hosts" can be MX of one domain and 127.0.0.x without a sink
refuses connections.
"""
import ssl
from dataclasses import dataclass

import pytest
from aiosmtpd.controller import Controller

from mailcore.dns import forget_answers
from mailcore.service.tls import generate_self_signed
from tests.support.dns_server import StubDNSServer


@dataclass
class Received:
    peer: tuple  # the client's (address, port): one per TCP connection
    helo: str
    tls: bool
    mail_from: str
    mail_options: list
    rcpt_tos: list
    content: bytes


class SinkHandler:
    """Records every transaction; replies configured per test."""

    def __init__(self):
        self.messages: list[Received] = []
        self.mail_reply: str | None = None
        self.rcpt_replies: dict[str, str] = {}
        self.data_reply = "250 2.0.0 Ok: queued"

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.mail_reply:
            return self.mail_reply
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 2.1.0 Ok"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.rcpt_replies:
            return self.rcpt_replies[address]
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(Received(
            peer=session.peer, helo=session.host_name, tls=session.ssl is not None,
            mail_from=envelope.mail_from, mail_options=list(envelope.mail_options),
            rcpt_tos=list(envelope.rcpt_tos), content=envelope.original_content,
        ))
        return self.data_reply


class SinkController(Controller):
    def _trigger_server(self):
        # Listening on port 0: learn the port the kernel chose before connecting to it.
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@pytest.fixture
def server_tls_context(tmp_path_factory):
    directory = tmp_path_factory.mktemp("sink-tls")
    generate_self_signed(directory / "cert.pem", directory / "key.pem", ["mx1.example.net", "127.0.0.1"])
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(directory / "cert.pem", directory / "key.pem")
    return context


@pytest.fixture
def sink(settings, server_tls_context):
    """Start sinks: sink(address="127.0.0.1", starttls=True, smtputf8=True, **aiosmtpd_options)."""
    controllers = []

    def start(address="127.0.0.1", *, starttls=True, smtputf8=True, tls_context=None, **options) -> SinkHandler:
        handler = SinkHandler()
        port = controllers[0].port if controllers else 0
        controller = SinkController(
            handler, hostname=address, port=port, server_hostname="mx.example.net",
            tls_context=(tls_context or server_tls_context) if starttls else None,
            enable_SMTPUTF8=smtputf8, ready_timeout=5, **options,
        )
        controller.start()
        controllers.append(controller)
        settings.HOPTHU_OUTBOUND_PORT = controller.port
        return handler

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture(scope="module")
def shared_dns_server():
    server = StubDNSServer().start()
    yield server
    server.stop()


@pytest.fixture
def dns_server(shared_dns_server, settings):
    """The suite's stub DNS server, emptied per test but kept per module: stopping one costs a second."""
    for table in (shared_dns_server.records, shared_dns_server.failing, shared_dns_server.queries):
        table.clear()
    forget_answers()  # answers cached under their TTL by an earlier test
    settings.HOPTHU_DNS_SERVERS = shared_dns_server.address
    settings.HOPTHU_DNS_TIMEOUT = 2
    return shared_dns_server


@pytest.fixture
def publish_mx(dns_server):
    """publish_mx(domain, (preference, exchange, address), ...): MX records and the hosts' A records."""

    def publish(domain, *exchanges):
        for preference, exchange, address in exchanges:
            dns_server.add(domain, "MX", f"{preference} {exchange}.")
            dns_server.add(exchange, "A", address)

    return publish


@pytest.fixture(autouse=True)
def outbound_settings(settings, tmp_path):
    settings.HOPTHU_HOSTNAME = "mail.example.test"
    settings.HOPTHU_OUTBOUND_TIMEOUT = 5
    settings.HOPTHU_OUTBOUND_TLS = "may"
    # Delivery tests here run without a database; MTA-STS (which caches policies in it)
    # is turned on by its own tests, test_mta_sts*.py, and stays on everywhere else.
    settings.HOPTHU_MTA_STS = False
    settings.HOPTHU_TLSRPT = False  # counting sessions (TLS-RPT) writes to it too: test_tlsrpt_*.py
    settings.HOPTHU_DKIM_DIR = tmp_path / "dkim"

