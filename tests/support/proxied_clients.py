"""Mail clients of the standard library behind a PROXY protocol "proxy": each connects,
sends the header it is given, then speaks its protocol (TLS, if any, after the header),
as a client behind HAProxy is seen by the server. `source` binds another loopback
address (127.0.0.2) to play a client that is not a proxy."""
import imaplib
import ipaddress
import poplib
import smtplib
import socket
import struct

from mailcore.proxyproto import PP2_TYPE_SSL, V2_SIGNATURE


def v1(client: str, port: int = 51234, server: str = "192.0.2.1", server_port: int = 143) -> bytes:
    family = "TCP6" if ":" in client else "TCP4"
    if family == "TCP6" and ":" not in server:
        server = "2001:db8::1"
    return f"PROXY {family} {client} {server} {port} {server_port}\r\n".encode()


def v2(client: str, port: int = 51234, *, client_tls: bool = False, local: bool = False) -> bytes:
    source = ipaddress.ip_address(client)
    destination = ipaddress.ip_address("192.0.2.1" if source.version == 4 else "2001:db8::1")
    block = source.packed + destination.packed + struct.pack("!HH", port, 993)
    if client_tls:  # PP2_TYPE_SSL, PP2_CLIENT_SSL, verify 0, PP2_SUBTYPE_SSL_VERSION
        ssl_value = b"\x01" + b"\x00\x00\x00\x00" + b"\x21\x00\x07TLSv1.3"
        block += bytes([PP2_TYPE_SSL]) + struct.pack("!H", len(ssl_value)) + ssl_value
    command = 0x20 if local else 0x21
    family = 0x11 if source.version == 4 else 0x21
    return V2_SIGNATURE + bytes([command, family]) + struct.pack("!H", len(block)) + block


def connect(host, port, timeout, header: bytes = b"", source: str | None = None) -> socket.socket:
    sock = socket.create_connection((host, port), timeout, source_address=(source, 0) if source else None)
    if header:
        sock.sendall(header)
    return sock


class IMAP4(imaplib.IMAP4):
    def __init__(self, host, port, header=b"", source=None, timeout=10):
        self.header, self.source = header, source
        super().__init__(host, port, timeout=timeout)

    def _create_socket(self, timeout):
        return connect(self.host, self.port, timeout, self.header, self.source)


class IMAP4_SSL(imaplib.IMAP4_SSL):
    def __init__(self, host, port, header=b"", source=None, ssl_context=None, timeout=10):
        self.header, self.source = header, source
        super().__init__(host, port, ssl_context=ssl_context, timeout=timeout)

    def _create_socket(self, timeout):
        sock = connect(self.host, self.port, timeout, self.header, self.source)
        return self.ssl_context.wrap_socket(sock, server_hostname=self.host)


class POP3(poplib.POP3):
    def __init__(self, host, port, header=b"", source=None, timeout=10):
        self.header, self.source = header, source
        super().__init__(host, port, timeout=timeout)

    def _create_socket(self, timeout):
        return connect(self.host, self.port, timeout, self.header, self.source)


class POP3_SSL(poplib.POP3_SSL):
    def __init__(self, host, port, header=b"", source=None, context=None, timeout=10):
        self.header, self.source = header, source
        super().__init__(host, port, context=context, timeout=timeout)

    def _create_socket(self, timeout):
        sock = connect(self.host, self.port, timeout, self.header, self.source)
        return self.context.wrap_socket(sock, server_hostname=self.host)


class SMTP(smtplib.SMTP):
    def __init__(self, host, port, header=b"", source=None, timeout=10):
        self.header, self.proxy_source = header, source
        super().__init__(host, port, timeout=timeout)

    def _get_socket(self, host, port, timeout):
        return connect(host, port, timeout, self.header, self.proxy_source)


class SMTP_SSL(smtplib.SMTP_SSL):
    def __init__(self, host, port, header=b"", source=None, context=None, timeout=10):
        self.header, self.proxy_source = header, source
        super().__init__(host, port, context=context, timeout=timeout)

    def _get_socket(self, host, port, timeout):
        sock = connect(host, port, timeout, self.header, self.proxy_source)
        return self.context.wrap_socket(sock, server_hostname=host)
