"""The PROXY protocol header, versions 1 (text) and 2 (binary): parse, or refuse.

A TCP proxy or load balancer in front of the mail listeners (HAProxy, nginx stream,
AWS NLB, ...) opens its own connection to us; the header it sends first says whose
connection it relays, so lockouts, relay networks, rate limits and logs see the real
client. Spec: https://www.haproxy.org/download/2.9/doc/proxy-protocol.txt ("the spec"
below). Pure functions over bytes; the listeners' side is service/proxied.py.

- v1 (spec §2.1): one line, "PROXY TCP4|TCP6|UNKNOWN ...\\r\\n", at most 107 octets.
- v2 (spec §2.2): a 12-octet signature, version and command, family and protocol, a
  16-bit length, the addresses, then TLVs (spec §2.2.7). TCP over IPv4 and IPv6 is
  read; LOCAL (the proxy's own health check), UNSPEC and UNIX carry no client address
  we can use, and the connection's own address stands (spec §2.2: "the receiver must
  ... use the real connection endpoints"). UDP is refused: our listeners are TCP.
- PP2_TYPE_SSL (spec §2.2.5) with PP2_CLIENT_SSL set says the client spoke TLS to the
  proxy, which ended it: `tls` is then True.
"""
import ipaddress
import re
import struct
from dataclasses import dataclass

V1_PREFIX = b"PROXY "
V1_MAX_OCTETS = 107  # spec §2.1: the worst case, "PROXY TCP6" with two full IPv6 addresses
V2_SIGNATURE = b"\r\n\r\n\x00\r\nQUIT\n"  # spec §2.2
V2_FIXED_OCTETS = 16  # the signature, ver_cmd, fam, len
V2_MAX_OCTETS = V2_FIXED_OCTETS + 0xFFFF
V2_VERSION = 0x2
V2_LOCAL, V2_PROXY = 0x0, 0x1
_V2_TCP4, _V2_TCP6 = 0x11, 0x21  # spec §2.2: AF_INET / AF_INET6 with SOCK_STREAM
_V2_ADDRESSLESS = {0x00, 0x31}  # UNSPEC, UNIX stream: no address of ours to use
PP2_TYPE_SSL, PP2_CLIENT_SSL = 0x20, 0x01  # spec §2.2.5
_V1_PORT = re.compile(rb"0|[1-9][0-9]{0,4}")


class ProxyHeaderError(ValueError):
    """Not a valid PROXY header: the connection must be closed (spec §2: "the receiver
    must ... close the connection" on an invalid or incomplete header)."""


@dataclass(frozen=True)
class ProxyHeader:
    version: int  # 1 or 2
    length: int  # octets the header took; what follows is the relayed stream
    source: tuple[str, int] | None = None  # the client; None: use the connection's own
    destination: tuple[str, int] | None = None  # the address the client connected to
    tls: bool = False  # v2 PP2_CLIENT_SSL: the client spoke TLS to the proxy


def parse(data: bytes) -> ProxyHeader | None:
    """The header at the start of data; None while more octets are needed to tell.

    Raises ProxyHeaderError when data cannot be the start of a valid header.
    """
    if data[:len(V2_SIGNATURE)] == V2_SIGNATURE[:len(data)]:
        return _parse_v2(data) if len(data) >= len(V2_SIGNATURE) else None
    if data[:len(V1_PREFIX)] == V1_PREFIX[:len(data)]:
        return _parse_v1(data) if len(data) >= len(V1_PREFIX) else None
    raise ProxyHeaderError("no PROXY protocol header")


def starts_a_header(data: bytes) -> bool | None:
    """Whether data, a client's first octets, begin a PROXY header (v1 or v2); None
    while too few have come to tell. For clients that may not send one."""
    for signature in (V1_PREFIX, V2_SIGNATURE):
        if data.startswith(signature):
            return True
        if signature.startswith(data):
            return None
    return False


def _parse_v1(data: bytes) -> ProxyHeader | None:
    end = data.find(b"\r\n", 0, V1_MAX_OCTETS)
    line_feed = data.find(b"\n", 0, V1_MAX_OCTETS)
    if line_feed >= 0 and (end < 0 or line_feed < end + 1):  # spec §2.1: CRLF ends it, a bare LF never
        raise ProxyHeaderError("PROXY v1 line ends without CRLF")
    if end < 0:
        if len(data) >= V1_MAX_OCTETS:
            raise ProxyHeaderError("PROXY v1 line longer than 107 octets or without CRLF")
        return None
    words = data[:end].split(b" ")  # spec §2.1: exactly one space between words
    length = end + 2
    if len(words) >= 2 and words[1] == b"UNKNOWN":
        return ProxyHeader(1, length)  # spec §2.1: the rest of the line is ignored
    if len(words) != 6:
        raise ProxyHeaderError("PROXY v1 line must have six words")
    _proxy, family, source_ip, destination_ip, source_port, destination_port = words
    version = {b"TCP4": 4, b"TCP6": 6}.get(family)
    if version is None:
        raise ProxyHeaderError("PROXY v1 protocol must be TCP4, TCP6 or UNKNOWN")
    return ProxyHeader(1, length, (_v1_ip(source_ip, version), _v1_port(source_port)),
                       (_v1_ip(destination_ip, version), _v1_port(destination_port)))


def _v1_ip(text: bytes, version: int) -> str:
    try:
        if b"%" in text:  # ipaddress takes an IPv6 zone ("fe80::1%eth0"); the spec has none
            raise ValueError(text)
        address = ipaddress.ip_address(text.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        raise ProxyHeaderError("PROXY v1 address is not an IP address") from None
    if address.version != version:
        raise ProxyHeaderError("PROXY v1 address does not match its protocol")
    return str(address)


def _v1_port(text: bytes) -> int:
    if not _V1_PORT.fullmatch(text) or int(text) > 0xFFFF:
        raise ProxyHeaderError("PROXY v1 port is not a number from 0 to 65535")
    return int(text)


def _parse_v2(data: bytes) -> ProxyHeader | None:
    if len(data) < V2_FIXED_OCTETS:
        return None
    version_command, family, length = data[12], data[13], struct.unpack_from("!H", data, 14)[0]
    if version_command >> 4 != V2_VERSION:
        raise ProxyHeaderError("PROXY v2 header of another version")
    command = version_command & 0x0F
    if command not in (V2_LOCAL, V2_PROXY):
        raise ProxyHeaderError("PROXY v2 command is neither LOCAL nor PROXY")
    total = V2_FIXED_OCTETS + length
    if len(data) < total:
        return None
    block = data[V2_FIXED_OCTETS:total]
    if command == V2_LOCAL:  # spec §2.2: the address block is skipped, whatever it holds
        return ProxyHeader(2, total)
    if family in _V2_ADDRESSLESS:
        return ProxyHeader(2, total, tls=_client_ssl(_tlvs(block, 216 if family == 0x31 else 0)))
    if family == _V2_TCP4:
        size, pack, ip_type = 12, "!4s4sHH", ipaddress.IPv4Address
    elif family == _V2_TCP6:
        size, pack, ip_type = 36, "!16s16sHH", ipaddress.IPv6Address
    else:
        raise ProxyHeaderError("PROXY v2 family and protocol are not TCP over IPv4 or IPv6")
    if length < size:
        raise ProxyHeaderError("PROXY v2 address block too short for its family")
    source_ip, destination_ip, source_port, destination_port = struct.unpack_from(pack, block)
    return ProxyHeader(2, total, (str(ip_type(source_ip)), source_port),
                       (str(ip_type(destination_ip)), destination_port), _client_ssl(_tlvs(block, size)))


def _tlvs(block: bytes, start: int) -> dict[int, bytes]:
    """The TLVs after the addresses (spec §2.2.7): type (1 octet), length (2), value."""
    found: dict[int, bytes] = {}
    position = start
    if position > len(block):
        raise ProxyHeaderError("PROXY v2 address block too short for its family")
    while position < len(block):
        if position + 3 > len(block):
            raise ProxyHeaderError("PROXY v2 TLV cut short")
        kind, size = block[position], struct.unpack_from("!H", block, position + 1)[0]
        value = block[position + 3:position + 3 + size]
        if len(value) != size:
            raise ProxyHeaderError("PROXY v2 TLV longer than the header")
        found.setdefault(kind, value)
        position += 3 + size
    return found


def _client_ssl(tlvs: dict[int, bytes]) -> bool:
    """spec §2.2.5: PP2_TYPE_SSL's first octet holds the client flags."""
    value = tlvs.get(PP2_TYPE_SSL)
    return bool(value) and bool(value[0] & PP2_CLIENT_SSL)
