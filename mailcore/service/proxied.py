"""The PROXY protocol on the mail listeners: the real client behind a TCP proxy.

HOPTHU_PROXY_NETWORKS names the networks of the proxies and load balancers in front of
the mail core (CIDRs; empty, the default: off, and the listeners are as they were). When
it is set, every listener (SMTP 25/587/465 and relay, IMAP 143/993, POP3 110/995) puts a
ProxyAcceptor in front of its protocol:

- A connection from one of those networks must begin with a PROXY header, v1 or v2
  (mailcore/proxyproto.py), within HOPTHU_PROXY_TIMEOUT seconds; a malformed header, or
  none in time, closes it. The protocol then sees a transport whose peer is the client
  the header names: connection limits, lockouts, relay networks, rate limits, SPF, the
  Received field and the logs all use it with no change of their own.
- A connection from anywhere else must not send one: its first octets are looked at on
  their way, and a PROXY header is a protocol error ("refusal" sent, then closed).
  Anyone could otherwise claim any address.
- On an implicit-TLS port (465, 993, 995) the header comes in plain, before the TLS
  handshake: the listener is then bound without TLS and the acceptor starts TLS on the
  stream after the header, with whatever of the client's first TLS record came along.
- A v2 header saying the client spoke TLS to the proxy (PP2_CLIENT_SSL) counts as TLS:
  the proxy ended it and the sessions treat the connection as encrypted (`came_over_tls`).

aiosmtpd has PROXY support of its own (proxy_protocol_timeout), but it reads the header
after TLS on an implicit-TLS port, asks every connection of a listener for one, and
would be a second parser: SMTP goes through this acceptor like IMAP and POP3.
"""
import asyncio
import functools
import ipaddress
import logging
import ssl
from asyncio import sslproto

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from mailcore import proxyproto

log = logging.getLogger(__name__)

SNIFF_SECONDS = 2.0  # a client that sent "\r\n" alone may be waiting for our answer to it
TLS_HANDSHAKE_SECONDS = 60.0  # asyncio's own default for a TLS listener
PROXY_TLS = "hopthu_proxy_tls"  # transport extra: the client spoke TLS to the proxy
PROXY_PEER = "hopthu_proxy"  # transport extra: the proxy's own address


@functools.lru_cache(maxsize=8)
def _parse_networks(texts: tuple[str, ...]) -> tuple:
    try:
        return tuple(ipaddress.ip_network(text, strict=False) for text in texts)
    except ValueError as error:
        raise ImproperlyConfigured(f"HOPTHU_PROXY_NETWORKS: {error}") from None


def proxy_networks() -> tuple:
    """The networks whose connections begin with a PROXY header (empty: off)."""
    return _parse_networks(tuple(settings.HOPTHU_PROXY_NETWORKS))


def is_proxy(peer, networks) -> bool:
    if not isinstance(peer, tuple) or not networks:
        return False
    try:
        address = ipaddress.ip_address(peer[0].split("%", 1)[0])
    except ValueError:
        return False
    if address.version == 6 and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # a dual-stack socket's IPv4 client
    return any(address in network for network in networks)


def came_over_tls(transport_or_writer) -> bool:
    """Whether a proxy said the client spoke TLS to it (v2 PP2_CLIENT_SSL)."""
    return bool(transport_or_writer.get_extra_info(PROXY_TLS))


def listening(protocol_factory, tls_context: ssl.SSLContext | None, refusal: bytes):
    """(protocol factory, ssl) to give loop.create_server: as given when the PROXY
    protocol is off, else an acceptor in front and TLS (implicit-TLS ports) left to it.
    refusal: the line a client gets for sending a PROXY header it may not send."""
    networks = proxy_networks()
    if not networks:
        return protocol_factory, tls_context

    def acceptor():
        return ProxyAcceptor(protocol_factory, networks=networks, tls_context=tls_context, refusal=refusal,
                             timeout=settings.HOPTHU_PROXY_TIMEOUT)

    return acceptor, None


class ProxiedTransport:
    """A transport whose peer is the client a PROXY header named; all else is the real one's."""

    def __init__(self, transport, header: proxyproto.ProxyHeader):
        self._transport = transport
        self._extra = {PROXY_TLS: header.tls, PROXY_PEER: transport.get_extra_info("peername")}
        if header.source is not None:
            self._extra["peername"] = header.source

    def get_extra_info(self, name, default=None):
        if name in self._extra:
            return self._extra[name]
        return self._transport.get_extra_info(name, default)

    def __getattr__(self, name):
        return getattr(self._transport, name)

    def __repr__(self):
        return f"<ProxiedTransport {self._extra.get('peername')} via {self._extra[PROXY_PEER]}>"


class ProxyAcceptor(asyncio.Protocol):
    """Reads (or, from others, watches for) a PROXY header, then hands the connection to
    the listener's own protocol, with TLS started first on an implicit-TLS port."""

    def __init__(self, protocol_factory, *, networks, tls_context, refusal: bytes, timeout: float):
        self.protocol_factory = protocol_factory
        self.networks = networks
        self.tls_context = tls_context
        self.refusal = refusal
        self.timeout = timeout
        self.transport = None
        self.inner = None  # the listener's protocol, once it has the connection
        self.buffer = bytearray()
        self.from_proxy = False
        self.timer = None

    def connection_made(self, transport):
        self.transport = transport
        peer = transport.get_extra_info("peername")
        self.from_proxy = is_proxy(peer, self.networks)
        loop = asyncio.get_running_loop()
        if self.from_proxy:
            self.timer = loop.call_later(self.timeout, self._give_up, "no PROXY header in time")
        elif self.tls_context is None:
            # The server speaks first (greeting): the protocol starts now, and the client's
            # first octets pass through here on their way to it.
            self.inner = self.protocol_factory()
            self.inner.connection_made(transport)
            self.timer = loop.call_later(SNIFF_SECONDS, self._pass_on, transport)
        else:
            self.timer = loop.call_later(TLS_HANDSHAKE_SECONDS, self._give_up, "no TLS handshake in time")

    def data_received(self, data):
        self.buffer += data
        if self.from_proxy:
            self._read_header()
            return
        verdict = proxyproto.starts_a_header(bytes(self.buffer[:len(proxyproto.V2_SIGNATURE)]))
        if verdict:
            log.info("closed a connection from %s: a PROXY header from outside HOPTHU_PROXY_NETWORKS",
                     self._peer())
            self.transport.write(self.refusal)
            self._close()
        elif verdict is False:
            self._pass_on(self.transport)

    def _read_header(self):
        try:
            header = proxyproto.parse(bytes(self.buffer))
        except proxyproto.ProxyHeaderError as error:
            self._give_up(str(error))
            return
        if header is None:
            return
        del self.buffer[:header.length]
        log.debug("PROXY v%d from %s: client %s", header.version, self._peer(), header.source)
        self._pass_on(ProxiedTransport(self.transport, header))

    def _pass_on(self, transport):
        """Give the connection to the listener's protocol: TLS first on an implicit-TLS
        port, then what came after the header (or the first octets looked at)."""
        self._cancel_timer()
        rest, self.buffer = bytes(self.buffer), bytearray()
        if self.tls_context is not None:
            self._start_tls(transport, rest)
            return
        if self.inner is None:
            self.inner = self.protocol_factory()
            self.transport.set_protocol(self.inner)
            self.inner.connection_made(transport)
        else:
            self.transport.set_protocol(self.inner)
        if rest and not self.transport.is_closing():
            self.inner.data_received(rest)

    def _start_tls(self, transport, rest: bytes):
        """What asyncio's TLS server does on accept, on a stream that began before TLS.
        Octets of the handshake that came with the header are fed to it first."""
        loop = asyncio.get_running_loop()
        waiter = loop.create_future()
        waiter.add_done_callback(_handshake_done)
        tls = sslproto.SSLProtocol(loop, self.protocol_factory(), self.tls_context, waiter, server_side=True,
                                   ssl_handshake_timeout=TLS_HANDSHAKE_SECONDS)
        self.transport.set_protocol(tls)
        tls.connection_made(transport)
        while rest:
            buffer = tls.get_buffer(len(rest))
            size = min(len(buffer), len(rest))
            buffer[:size] = rest[:size]
            tls.buffer_updated(size)
            rest = rest[size:]

    def _give_up(self, reason: str):
        log.warning("closed a connection from the proxy %s: %s", self._peer(), reason)
        self._close()

    def _close(self):
        self._cancel_timer()
        self.buffer = bytearray()
        self.transport.close()

    def _cancel_timer(self):
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def _peer(self):
        return self.transport.get_extra_info("peername") if self.transport else None

    # While the connection is still ours, the protocol that has it hears of its end.

    def eof_received(self):
        if self.inner is not None:
            return self.inner.eof_received()
        return None

    def connection_lost(self, error):
        self._cancel_timer()
        if self.inner is not None:
            self.inner.connection_lost(error)

    def pause_writing(self):
        if self.inner is not None:
            self.inner.pause_writing()

    def resume_writing(self):
        if self.inner is not None:
            self.inner.resume_writing()


def _handshake_done(waiter):
    if not waiter.cancelled() and waiter.exception() is not None:
        log.debug("TLS handshake after a PROXY header failed: %s", waiter.exception())
