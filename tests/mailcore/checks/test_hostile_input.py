"""Hostile and broken input never raises: each case ends as the RFC result it deserves."""
import random
import re

import authres
import pytest

from mailcore.smtp.checks import check_message
from mailcore.smtp.checks.dkim_verify import verify_dkim
from mailcore.smtp.checks.spf import check_spf
from tests.mailcore.checks.messages import HOSTNAME, make_message


def check(raw=None, mail_from="alice@example.net", client_ip="192.0.2.10", helo="mx.example.net"):
    raw = make_message() if raw is None else raw
    return check_message(client_ip=client_ip, helo=helo, mail_from=mail_from, raw=raw, hostname=HOSTNAME)


def spf(mail_from="alice@example.net", client_ip="192.0.2.10", helo="mx.example.net"):
    return check_spf(client_ip=client_ip, helo=helo, mail_from=mail_from, hostname=HOSTNAME)


def assert_valid_header(results):
    field = results.header()
    assert field.isascii() and "\n" not in field.replace("\r\n\t", "")
    authres.all_features().parse(re.sub(r"\r\n(?=[ \t])", "", field))


@pytest.mark.parametrize(
    "record",
    [
        "v=spf1 include:",
        "v=spf1 a:",
        "v=spf1 ip4:",
        "v=spf1 mx/abc -all",
        "v=spf1 redirect=",
        "v=spf1 exists:%{z}.example.net -all",  # unknown macro letter
        "v=spf1 ptr:/ -all",
        "v=spf1 ip6:::zz -all",
        "v=spf1 ip4:192.0.2.10/24/48 -all",
        "v=spf1 \x00\x01 -all",
    ],
)
def test_a_malformed_spf_record_is_a_permanent_error(dns_server, record):
    dns_server.add_txt("example.net", record)
    assert spf().result == "permerror"


@pytest.mark.parametrize("target", ["%{i}..example.net", "x" * 300 + ".example.net", "%{l}.example.net"])
def test_a_mechanism_naming_an_impossible_host_matches_nothing(dns_server, target):
    dns_server.add_txt("example.net", f"v=spf1 a:{target} -all")
    assert spf(mail_from="ngọc@example.net").result == "fail"


def test_a_non_ascii_spf_record_is_a_permanent_error(dns_server):
    dns_server.add_txt("example.net", "v=spf1 a:mại.example.net -all")
    assert spf().result == "permerror"


def test_an_include_loop_ends_in_a_permanent_error(dns_server):
    dns_server.add_txt("example.net", "v=spf1 include:loop.example.org -all")
    dns_server.add_txt("loop.example.org", "v=spf1 include:example.net -all")
    assert spf().result == "permerror"
    assert len([q for q in dns_server.queries if q[1] == "TXT"]) <= 11  # RFC 7208 §4.6.4


def test_a_redirect_to_itself_ends_in_a_permanent_error(dns_server):
    dns_server.add_txt("example.net", "v=spf1 redirect=example.net")
    assert spf().result == "permerror"


def test_too_many_void_lookups_are_a_permanent_error(dns_server):
    dns_server.add_txt("example.net", "v=spf1 a:n1.example.net a:n2.example.net a:n3.example.net -all")
    assert spf().result == "permerror"  # RFC 7208 §4.6.4: at most two void lookups


def test_a_huge_txt_record_comes_over_tcp_and_is_evaluated(dns_server):
    networks = " ".join(f"ip4:198.51.{n // 256}.{n % 256}/32" for n in range(300)) + " ip4:192.0.2.10"
    dns_server.add_txt("example.net", f"v=spf1 {networks} -all")
    for index in range(30):  # and a pile of unrelated TXT records around it
        dns_server.add_txt("example.net", f"verification-{index}=" + "z" * 200)
    assert spf().result == "pass"
    assert spf(client_ip="203.0.113.1").result == "fail"


@pytest.mark.parametrize(
    "client_ip", ["2001:db8::10", "::ffff:192.0.2.10", "fe80::1%eth0", "::1"],
)
def test_ipv6_clients_are_checked(dns_server, client_ip):
    dns_server.add_txt("example.net", "v=spf1 ip4:192.0.2.10 ip6:2001:db8::/64 -all")
    expected = "fail" if client_ip in ("fe80::1%eth0", "::1") else "pass"
    assert spf(client_ip=client_ip).result == expected


def test_an_invalid_client_address_is_reported_not_raised(dns_server):
    dns_server.add_txt("example.net", "v=spf1 -all")
    assert spf(client_ip="not-an-address").result == "permerror"


@pytest.mark.parametrize(
    ("mail_from", "helo"),
    [
        ("", "[192.0.2.10]"),  # null reverse-path from an address literal: nothing to check
        ("", ""),
        ("", "localhost"),
        ("no-at-sign", "mx.example.net"),
        ("alice@", "mx.example.net"),
        ("alice@[192.0.2.1]", "mx.example.net"),
        ("alice@" + "a" * 64 + ".example.net", "mx.example.net"),
        ("alice@exa mple.net", "mx.example.net"),
        ("alice@example..net", "mx.example.net"),
    ],
)
def test_a_reverse_path_or_helo_without_a_usable_domain_is_none(dns_server, mail_from, helo):
    result = spf(mail_from=mail_from, helo=helo)
    assert (result.result, result.domain) == ("none", "")


def test_a_quoted_local_part_with_an_at_sign_checks_the_real_domain(dns_server):
    dns_server.add_txt("example.net", "v=spf1 ip4:192.0.2.10 -all")
    result = spf(mail_from='"bob@evil.example"@example.net')
    assert (result.result, result.domain) == ("pass", "example.net")


def test_non_ascii_local_parts_and_helo_do_not_break_macros(dns_server):
    dns_server.add_txt("example.net", "v=spf1 exists:%{l}.%{h}._spf.example.net ip4:192.0.2.10 -all")
    assert spf(mail_from="nguyễn@example.net", helo="máy.example.net").result == "pass"


def test_a_hostile_explanation_cannot_inject_header_lines(dns_server):
    dns_server.add_txt("example.net", "v=spf1 -all exp=explain.example.net")
    # A TXT record may hold any octets: here CR LF, quotes, "@" and an open parenthesis.
    dns_server.add("explain.example.net", "TXT", r'"Go away\013\010X-Injected: yes \"quoted\" @ (paren"')
    results = check()
    assert results.spf.result == "fail"
    assert "X-Injected" not in results.header().split("\r\n\t", 1)[0]
    assert_valid_header(results)


@pytest.mark.parametrize(
    "signature",
    [
        b"garbage",
        b"v=1; a=rsa-sha256",
        b"v=1; v=1; a=rsa-sha256; d=example.net; s=sel; h=from; bh=AAAA; b=AAAA",
        b"v=1; a=rsa-md5; d=example.net; s=sel; h=from; bh=AAAA; b=AAAA",
        b"v=1; a=rsa-sha256; d=example.net; s=sel; h=from; bh=!!!!; b=AAAA",
        b"v=1; a=rsa-sha256; d=example.net; s=sel; h=from; bh=AAAA; b=AAAA; l=-5",
        b"v=1; a=rsa-sha256; d=example.net; s=sel; h=from; bh=AAAA; b=AAAA; c=weird/odd",
        b"v=1; a=rsa-sha256; d=ex\xc3\xa1mple.net; s=s\xffl; h=from; bh=AAAA; b=AAAA",
        b"v=1; a=rsa-sha256; d=example.net; s=sel; h=from; bh=AAAA; b=AAAA; t=99999999999",
        b"v=1; a=rsa-sha256; d=example.net; s=sel; h=from; bh=AAAA; b=AAAA; x=1",
        b"v=1; a=rsa-sha256; d=example.net; s=a/b; h=from; bh=AAAA; b=AAAA",
        b"v=1; a=rsa-sha256; d=; s=; h=from; bh=AAAA; b=AAAA",
        b"=" * 5000,
    ],
)
def test_a_malformed_dkim_signature_is_reported_not_raised(dns_server, signature):
    results = verify_dkim(b"DKIM-Signature: " + signature + b"\r\n" + make_message())
    assert len(results) == 1
    assert results[0].result in ("neutral", "permerror", "fail")
    assert results[0].result != "pass"


def test_a_header_section_dkimpy_cannot_read_is_reported_not_raised(dns_server):
    raw = b"DKIM-Signature: v=1; d=example.net\r\nthis line has no colon\r\n" + make_message()
    results = check(raw)
    assert [r.result for r in results.dkim] == ["neutral"]
    assert_valid_header(results)


def test_a_non_ascii_from_is_checked_in_a_labels(dns_server):
    a_label = "hóa-đơn.vn".encode("idna").decode()
    dns_server.add_txt(f"_dmarc.{a_label}", "v=DMARC1; p=reject")
    raw = "From: Kế toán <ke-toan@hóa-đơn.vn>\r\nSubject: Hóa đơn\r\n\r\nXin chào\r\n".encode()
    results = check(raw, mail_from="ke-toan@hóa-đơn.vn")
    assert (results.dmarc.from_domain, results.dmarc.result) == (a_label, "fail")
    assert_valid_header(results)


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\r\n\r\n",
        b"From:\r\n\r\n",
        b"From: <>\r\n\r\n",
        b"From: undisclosed-recipients:;\r\n\r\n",
        b"From: \"unterminated <a@example.net>\r\n\r\n",
        b"From: a@example.net\nDKIM-Signature: v=1;\n\n\nbody\n",
        b"From: =?utf-8?b?////?= <a@\xff\xfe.example>\r\n\r\n",
        b"From: a@example.net\r\n" + b"X-Long: " + b"y" * 100_000 + b"\r\n\r\n",
        b"From: a@example.net\r\n\tcontinued\r\n continued again\r\n\r\nbody",
    ],
)
def test_broken_messages_are_reported_not_raised(dns_server, raw):
    results = check(raw)
    assert results.dmarc.result in ("none", "permerror", "fail")
    assert_valid_header(results)


def test_random_bytes_never_raise(dns_server):
    rng = random.Random(8601)
    pieces = [b"From: ", b"DKIM-Signature: ", b"v=1; ", b"d=example.net; ", b"s=sel; ", b"h=from; ",
              b"a@example.net", b"\r\n", b"\n", b"\r", b" ", b"\t", b";", b"=", b"(", b")", b'"', b"\xff", b":"]
    for _ in range(60):
        raw = b"".join(rng.choice(pieces) for _ in range(rng.randint(0, 60)))
        assert_valid_header(check(raw, mail_from=rng.choice(["", "a@example.net", "\xff@\x00"])))
