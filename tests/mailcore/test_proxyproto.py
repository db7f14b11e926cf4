"""The PROXY protocol header parser (mailcore/proxyproto.py), v1 and v2, after the spec
(haproxy.org proxy-protocol.txt): what it must read, what it must refuse, and — by
hypothesis — that it reads back every header it could be sent and never fails otherwise
than by refusing."""
import ipaddress
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailcore.proxyproto import (
    PP2_TYPE_SSL,
    V2_SIGNATURE,
    ProxyHeader,
    ProxyHeaderError,
    parse,
    starts_a_header,
)


def v2(family: int, addresses: bytes, tlvs: bytes = b"", command: int = 0x21) -> bytes:
    block = addresses + tlvs
    return V2_SIGNATURE + bytes([command, family]) + struct.pack("!H", len(block)) + block


def tcp4(source="203.0.113.9", destination="192.0.2.1", ports=(51234, 993)) -> bytes:
    return (ipaddress.IPv4Address(source).packed + ipaddress.IPv4Address(destination).packed
            + struct.pack("!HH", *ports))


def tlv(kind: int, value: bytes) -> bytes:
    return bytes([kind]) + struct.pack("!H", len(value)) + value


# --- v1 (spec §2.1) ---------------------------------------------------------------------

def test_v1_tcp4_gives_the_client_and_where_the_stream_starts():
    data = b"PROXY TCP4 203.0.113.9 192.0.2.1 51234 143\r\na1 CAPABILITY\r\n"
    header = parse(data)
    assert header == ProxyHeader(1, 44, ("203.0.113.9", 51234), ("192.0.2.1", 143))
    assert data[header.length:] == b"a1 CAPABILITY\r\n"


def test_v1_tcp6_and_unknown():
    assert parse(b"PROXY TCP6 2001:db8::9 2001:db8::1 4000 25\r\n").source == ("2001:db8::9", 4000)
    unknown = parse(b"PROXY UNKNOWN ffff::1 ffff::2 1 2\r\n")
    assert unknown.version == 1 and unknown.source is None  # the connection's own address stands
    assert parse(b"PROXY UNKNOWN\r\n").length == 15


def test_v1_waits_for_the_rest_of_a_line_cut_anywhere():
    line = b"PROXY TCP4 203.0.113.9 192.0.2.1 51234 143\r\n"
    assert all(parse(line[:cut]) is None for cut in range(len(line)))


@pytest.mark.parametrize("line", [
    b"PROXY TCP4 203.0.113.9 192.0.2.1 51234\r\n",  # a word missing
    b"PROXY TCP4  203.0.113.9 192.0.2.1 51234 143\r\n",  # two spaces
    b"PROXY TCP4 203.0.113.9 192.0.2.1 51234 143 \r\n",  # a trailing space
    b"PROXY TCP4 2001:db8::9 192.0.2.1 51234 143\r\n",  # an IPv6 address for TCP4
    b"PROXY TCP6 203.0.113.9 2001:db8::1 51234 143\r\n",  # an IPv4 address for TCP6
    b"PROXY TCP4 203.0.113.009 192.0.2.1 51234 143\r\n",  # a leading zero
    b"PROXY TCP4 203.0.113.9 192.0.2.1 65536 143\r\n",  # a port too large
    b"PROXY TCP4 203.0.113.9 192.0.2.1 0143 143\r\n",  # a port with a leading zero
    b"PROXY TCP4 203.0.113.9 192.0.2.1 -1 143\r\n",
    b"PROXY TCP6 fe80::1%eth0 fe80::2 1 2\r\n",  # a zone
    b"PROXY UDP4 203.0.113.9 192.0.2.1 1 2\r\n",
    b"PROXY TCP4 203.0.113.9 192.0.2.1 51234 143\n",  # LF alone
    b"PROXY TCP4 203.0.113.9\n192.0.2.1 51234 143\r\n",
    b"PROXY " + b"A" * 120 + b"\r\n",  # longer than 107 octets
    b"proxy TCP4 203.0.113.9 192.0.2.1 51234 143\r\n",
    b"a1 LOGIN alice secret\r\n",
])
def test_v1_refuses_what_the_spec_does_not_allow(line):
    with pytest.raises(ProxyHeaderError):
        parse(line)


# --- v2 (spec §2.2) ---------------------------------------------------------------------

def test_v2_tcp4_and_tcp6():
    data = v2(0x11, tcp4()) + b"\x16\x03\x01"  # the client's TLS record follows
    header = parse(data)
    assert header == ProxyHeader(2, 28, ("203.0.113.9", 51234), ("192.0.2.1", 993))
    assert data[header.length:] == b"\x16\x03\x01"
    six = ipaddress.IPv6Address("2001:db8::9").packed + ipaddress.IPv6Address("2001:db8::1").packed
    assert parse(v2(0x21, six + struct.pack("!HH", 1, 2))).source == ("2001:db8::9", 1)


def test_v2_local_is_the_proxys_own_connection():
    header = parse(v2(0x11, tcp4(), command=0x20))
    assert header.version == 2 and header.source is None
    assert parse(v2(0x00, b"", command=0x20)).source is None


def test_v2_unspec_and_unix_keep_the_connections_address():
    assert parse(v2(0x00, b"")).source is None
    assert parse(v2(0x31, b"\x00" * 216)).source is None


def test_v2_tlvs_are_skipped_and_ssl_says_the_client_spoke_tls():
    assert parse(v2(0x11, tcp4(), tlv(0x04, b"\x00" * 10) + tlv(0x05, b"id-42"))).tls is False
    ssl = tlv(PP2_TYPE_SSL, b"\x01" + b"\x00\x00\x00\x00" + tlv(0x21, b"TLSv1.3"))
    assert parse(v2(0x11, tcp4(), ssl)).tls is True
    no_client_ssl = tlv(PP2_TYPE_SSL, b"\x00" + b"\x00\x00\x00\x00")
    assert parse(v2(0x11, tcp4(), no_client_ssl)).tls is False


def test_v2_waits_for_the_rest_cut_anywhere():
    data = v2(0x21, b"\x00" * 36, tlv(0x05, b"x" * 40))
    assert all(parse(data[:cut]) is None for cut in range(len(data)))


@pytest.mark.parametrize("data", [
    V2_SIGNATURE + b"\x11\x11\x00\x0c" + tcp4(),  # version 1 in a v2 header
    V2_SIGNATURE + b"\x22\x11\x00\x0c" + tcp4(),  # command 2
    v2(0x12, tcp4()),  # UDP over IPv4
    v2(0x22, b"\x00" * 36),  # UDP over IPv6
    v2(0x41, tcp4()),  # family 4
    v2(0x11, tcp4()[:8]),  # addresses cut short
    v2(0x21, tcp4()),  # an IPv4-sized block for IPv6
    v2(0x11, tcp4(), b"\x05\x00"),  # a TLV cut in its length
    v2(0x11, tcp4(), b"\x05\x00\x09abc"),  # a TLV longer than the header
    v2(0x31, b"\x00" * 100),  # UNIX addresses cut short
])
def test_v2_refuses_what_the_spec_does_not_allow(data):
    with pytest.raises(ProxyHeaderError):
        parse(data)


# --- Watching a client that may not send one -------------------------------------------

@pytest.mark.parametrize(("data", "verdict"), [
    (b"", None), (b"PRO", None), (b"\r\n", None), (b"\r\n\r\n\x00\r\nQUI", None),
    (b"PROXY ", True), (b"PROXY TCP4", True), (V2_SIGNATURE, True),
    (b"a1 LOGIN", False), (b"EHLO x\r\n", False), (b"\x16\x03\x01\x02\x00", False), (b"\r\n\r\nX", False),
    (b"PROXYX", False),
])
def test_the_first_octets_tell_a_header_apart(data, verdict):
    assert starts_a_header(data) is verdict


# --- Properties -------------------------------------------------------------------------

ipv4 = st.ip_addresses(v=4).map(str)
ipv6 = st.ip_addresses(v=6).map(str)
ports = st.integers(min_value=0, max_value=65535)
trailing = st.binary(max_size=64)


@settings(deadline=None)  # a loaded machine is no bug
@given(st.one_of(st.tuples(st.just(4), ipv4, ipv4), st.tuples(st.just(6), ipv6, ipv6)), ports, ports, trailing)
def test_every_v1_header_reads_back(addresses, source_port, destination_port, rest):
    family, source, destination = addresses
    line = f"PROXY TCP{family} {source} {destination} {source_port} {destination_port}\r\n".encode()
    header = parse(line + rest)
    assert header == ProxyHeader(1, len(line), (source, source_port), (destination, destination_port))


@settings(deadline=None)  # a loaded machine is no bug
@given(st.one_of(st.tuples(st.just(0x11), ipv4, ipv4), st.tuples(st.just(0x21), ipv6, ipv6)), ports, ports,
       st.lists(st.tuples(st.integers(min_value=0, max_value=255).filter(lambda kind: kind != PP2_TYPE_SSL),
                          st.binary(max_size=30)), max_size=4),
       st.booleans(), trailing)
def test_every_v2_header_reads_back(addresses, source_port, destination_port, tlvs, client_ssl, rest):
    family, source, destination = addresses
    block = (ipaddress.ip_address(source).packed + ipaddress.ip_address(destination).packed
             + struct.pack("!HH", source_port, destination_port))
    extra = b"".join(tlv(kind, value) for kind, value in tlvs)
    if client_ssl:
        extra += tlv(PP2_TYPE_SSL, b"\x01\x00\x00\x00\x00")
    data = v2(family, block, extra)
    assert parse(data + rest) == ProxyHeader(2, len(data), (source, source_port),
                                             (destination, destination_port), client_ssl)


@settings(deadline=None)  # a loaded machine is no bug
@given(st.one_of(st.binary(max_size=300), st.binary(max_size=200).map(lambda tail: b"PROXY " + tail),
                 st.binary(max_size=200).map(lambda tail: V2_SIGNATURE + tail)))
def test_any_octets_are_read_waited_for_or_refused(data):
    try:
        header = parse(data)
    except ProxyHeaderError:
        return
    assert header is None or 0 < header.length <= len(data)
