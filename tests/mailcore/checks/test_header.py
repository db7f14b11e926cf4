"""The Authentication-Results field we add (RFC 8601), and removing forged ones (§5)."""
import re

import authres

from mailcore.smtp.checks import check_message, strip_forged_results
from tests.mailcore.checks.messages import HOSTNAME, make_message


def parse(field: str):
    """The field parsed back by authres (after unfolding, RFC 5322 §2.2.3), DMARC included."""
    return authres.all_features().parse(re.sub(r"\r\n(?=[ \t])", "", field))


def check(raw, mail_from="bounce@example.net", client_ip="192.0.2.10"):
    return check_message(client_ip=client_ip, helo="mx.example.net", mail_from=mail_from, raw=raw, hostname=HOSTNAME)


def test_the_header_reports_every_method_and_parses_back(dns_server, sign):
    dns_server.add_txt("example.net", "v=spf1 ip4:192.0.2.0/24 -all")
    dns_server.add_txt("_dmarc.example.net", "v=DMARC1; p=reject")
    field = check(sign(sign(make_message(), "example.net"), "esp.example", selector="k1")).header()
    assert field.startswith(f"Authentication-Results: {HOSTNAME};\r\n\t")
    assert all(len(line) < 200 for line in field.split("\r\n"))
    parsed = parse(field)
    assert parsed.authserv_id == HOSTNAME
    assert [(r.method, r.result) for r in parsed.results] == [
        ("spf", "pass"), ("dkim", "pass"), ("dkim", "pass"), ("dmarc", "pass")
    ]
    spf, first, second, dmarc = parsed.results
    assert spf.smtp_mailfrom == "example.net"
    assert (first.header_d, first.header_s, second.header_d) == ("esp.example", "k1", "example.net")
    assert dmarc.header_from == "example.net"
    assert field.endswith("\r\n\tdmarc=pass (p=reject pct=100) header.from=example.net")


def test_an_unsigned_message_without_policies_reports_none(dns_server):
    parsed = parse(check(make_message()).header())
    assert [(r.method, r.result) for r in parsed.results] == [("spf", "none"), ("dkim", "none"), ("dmarc", "none")]


def test_failures_carry_a_reason(dns_server):
    dns_server.add_txt("example.net", "v=spf1 ip4:192.0.2.0/24 include:broken.test -all")
    dns_server.fail("broken.test")
    spf = parse(check(make_message(), client_ip="198.51.100.1").header()).results[0]
    assert spf.result == "temperror"
    assert "broken.test" in spf.reason


def test_a_null_reverse_path_is_reported_as_the_helo_identity(dns_server):
    dns_server.add_txt("mx.example.net", "v=spf1 ip4:192.0.2.10 -all")
    spf = parse(check(make_message(), mail_from="").header()).results[0]
    assert (spf.result, spf.smtp_helo, spf.smtp_mailfrom) == ("pass", "mx.example.net", None)


FORGED = (
    b"Received: from mx.example.net by relay.example.org; Mon, 1 Jan 2024 00:00:00 +0000\r\n"
    b"Authentication-Results: MX.Example.Test;\r\n\tspf=pass smtp.mailfrom=paypal.example;\r\n"
    b"\tdmarc=pass header.from=paypal.example\r\n"
    b"Authentication-Results: (a comment) mx.example.test 1; dkim=pass header.d=paypal.example\r\n"
    b'authentication-results : "mx.example.test"; none\r\n'
    b"Authentication-Results: mx.example.test.; spf=pass\r\n"
    b"Authentication-Results: relay.example.org; spf=fail smtp.mailfrom=paypal.example\r\n"
    b"Authentication-Results: mx.example.test.evil; spf=pass\r\n"
    b"From: service@paypal.example\r\n"
    b"Subject: Your account\r\n"
    b"\r\n"
    b"Authentication-Results: mx.example.test; quoted in the body stays\r\n"
)


def test_fields_claiming_our_authserv_id_are_removed_and_nothing_else_changes():
    stripped = strip_forged_results(FORGED, HOSTNAME)
    assert stripped == (
        b"Received: from mx.example.net by relay.example.org; Mon, 1 Jan 2024 00:00:00 +0000\r\n"
        b"Authentication-Results: relay.example.org; spf=fail smtp.mailfrom=paypal.example\r\n"
        b"Authentication-Results: mx.example.test.evil; spf=pass\r\n"
        b"From: service@paypal.example\r\n"
        b"Subject: Your account\r\n"
        b"\r\n"
        b"Authentication-Results: mx.example.test; quoted in the body stays\r\n"
    )


def test_stripping_works_on_bare_lf_messages_and_leaves_clean_ones_alone():
    assert strip_forged_results(FORGED.replace(b"\r\n", b"\n"), HOSTNAME) == strip_forged_results(
        FORGED, HOSTNAME
    ).replace(b"\r\n", b"\n")
    clean = make_message()
    assert strip_forged_results(clean, HOSTNAME) == clean


def test_a_message_that_is_only_a_forged_field_loses_it():
    assert strip_forged_results(b"Authentication-Results: mx.example.test; spf=pass", HOSTNAME) == b""
