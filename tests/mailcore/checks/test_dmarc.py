"""DMARC (RFC 7489): policy discovery, identifier alignment and the result the caller acts on."""
import pytest

from mailcore.smtp.checks import check_message, organizational_domain
from tests.mailcore.checks.messages import HOSTNAME, make_message

CLIENT = "192.0.2.10"


def check(raw, mail_from="bounce@example.net", client_ip=CLIENT):
    return check_message(client_ip=client_ip, helo="mx.example.net", mail_from=mail_from, raw=raw, hostname=HOSTNAME)


@pytest.fixture
def example_net(dns_server):
    """example.net sends from 192.0.2.0/24 and asks for p=reject."""
    dns_server.add_txt("example.net", "v=spf1 ip4:192.0.2.0/24 -all")
    dns_server.add_txt("_dmarc.example.net", "v=DMARC1; p=reject; rua=mailto:dmarc@example.net")
    return dns_server


def test_an_aligned_spf_pass_passes(example_net):
    results = check(make_message())
    assert (results.dmarc.result, results.dmarc.spf_aligned, results.dmarc.dkim_aligned) == ("pass", True, False)
    assert results.dmarc.from_domain == "example.net"
    assert not results.dmarc_failed


def test_an_aligned_dkim_pass_passes_when_spf_is_for_another_domain(example_net, sign):
    example_net.add_txt("esp.example", "v=spf1 ip4:192.0.2.0/24 -all")
    results = check(sign(make_message(), "example.net"), mail_from="bounce@esp.example")
    assert results.spf.result == "pass"
    assert (results.dmarc.result, results.dmarc.spf_aligned, results.dmarc.dkim_aligned) == ("pass", False, True)


def test_no_aligned_pass_fails_with_the_published_policy(example_net, sign):
    example_net.add_txt("esp.example", "v=spf1 ip4:192.0.2.0/24 -all")
    # SPF passes for esp.example and DKIM passes for esp.example: neither is example.net.
    results = check(sign(make_message(), "esp.example"), mail_from="bounce@esp.example")
    assert (results.spf.result, results.dkim[0].result) == ("pass", "pass")
    assert results.dmarc.result == "fail"
    assert results.dmarc_failed
    assert results.dmarc_policy == "reject"


def test_a_spf_fail_of_the_from_domain_fails(example_net):
    results = check(make_message(), client_ip="198.51.100.9")
    assert (results.spf.result, results.dmarc.result, results.dmarc_policy) == ("fail", "fail", "reject")


@pytest.mark.parametrize(("aspf", "expected"), [("r", "pass"), ("s", "fail")])
def test_spf_alignment_is_relaxed_or_strict_as_aspf_says(dns_server, aspf, expected):
    dns_server.add_txt("bounces.example.net", "v=spf1 ip4:192.0.2.0/24 -all")
    dns_server.add_txt("_dmarc.example.net", f"v=DMARC1; p=quarantine; aspf={aspf}")
    results = check(make_message(), mail_from="b-123@bounces.example.net")
    assert results.spf.result == "pass"
    assert results.dmarc.result == expected


@pytest.mark.parametrize(("adkim", "expected"), [("r", "pass"), ("s", "fail")])
def test_dkim_alignment_is_relaxed_or_strict_as_adkim_says(dns_server, sign, adkim, expected):
    dns_server.add_txt("_dmarc.example.net", f"v=DMARC1; p=reject; adkim={adkim}")
    results = check(sign(make_message(), "mail.example.net"), mail_from="")
    assert results.dkim[0].result == "pass"
    assert results.dmarc.result == expected


def test_a_subdomain_falls_back_to_the_record_of_its_organizational_domain(dns_server):
    dns_server.add_txt("_dmarc.example.net", "v=DMARC1; p=reject; sp=quarantine")
    results = check(make_message(from_="news@letters.example.net"), client_ip="198.51.100.9")
    dmarc = results.dmarc
    assert (dmarc.result, dmarc.from_domain, dmarc.record_domain) == ("fail", "letters.example.net", "example.net")
    assert results.dmarc_policy == "quarantine"  # sp= applies to subdomains (RFC 7489 §6.3)
    assert ("_dmarc.letters.example.net", "TXT") in dns_server.queries


def test_a_record_at_the_from_domain_itself_applies_p(dns_server):
    dns_server.add_txt("_dmarc.letters.example.net", "v=DMARC1; p=reject; sp=none")
    dns_server.add_txt("_dmarc.example.net", "v=DMARC1; p=none")
    results = check(make_message(from_="news@letters.example.net"), client_ip="198.51.100.9")
    assert (results.dmarc.record_domain, results.dmarc_policy) == ("letters.example.net", "reject")


def test_a_country_code_second_level_is_part_of_the_organizational_domain(dns_server):
    dns_server.add_txt("_dmarc.example.com.vn", "v=DMARC1; p=reject")
    results = check(make_message(from_="ke-toan@shop.example.com.vn"), client_ip="198.51.100.9")
    assert (results.dmarc.record_domain, results.dmarc.result) == ("example.com.vn", "fail")
    assert ("_dmarc.com.vn", "TXT") not in dns_server.queries


@pytest.mark.parametrize(
    ("domain", "organizational"),
    [
        ("example.net", "example.net"),
        ("a.b.example.net", "example.net"),
        ("mail.example.com.vn", "example.com.vn"),
        ("www.example.co.uk", "example.co.uk"),
        ("dept.example.ac.jp", "example.ac.jp"),
        ("mail.example.de", "example.de"),
        ("mail.example.com.info", "com.info"),  # "com" is a second level only under two-letter TLDs
        ("Example.NET.", "example.net"),
    ],
)
def test_organizational_domain_uses_the_built_in_rule(domain, organizational):
    assert organizational_domain(domain) == organizational


def test_no_record_is_none_and_never_a_failure(dns_server):
    dns_server.add_txt("example.net", "v=spf1 -all")
    results = check(make_message())
    assert (results.spf.result, results.dmarc.result) == ("fail", "none")
    assert (results.dmarc_failed, results.dmarc_policy) == (False, "none")


def test_records_that_are_not_dmarc_are_ignored(dns_server):
    dns_server.add_txt("_dmarc.example.net", "some-verification=1234")
    dns_server.add_txt("_dmarc.example.net", "v=DMARC1; p=reject")
    assert check(make_message(), client_ip="198.51.100.9").dmarc.result == "fail"


def test_two_dmarc_records_mean_no_policy(dns_server):
    dns_server.add_txt("_dmarc.example.net", "v=DMARC1; p=reject")
    dns_server.add_txt("_dmarc.example.net", "v=DMARC1; p=none")
    dns_server.add_txt("example.net", "v=spf1 -all")
    assert check(make_message()).dmarc.result == "none"  # RFC 7489 §6.6.3 step 4


def test_a_record_without_a_valid_policy_is_a_permanent_error_unless_it_asks_for_reports(dns_server):
    dns_server.add_txt("_dmarc.example.net", "v=DMARC1; p=banish")
    dns_server.add_txt("_dmarc.example.org", "v=DMARC1; p=banish; rua=mailto:d@example.org")
    assert check(make_message()).dmarc.result == "permerror"
    results = check(make_message(from_="carol@example.org"), client_ip="198.51.100.9")
    assert (results.dmarc.result, results.dmarc_policy) == ("fail", "none")  # §6.6.3: acts as p=none


def test_pct_is_recorded(dns_server):
    dns_server.add_txt("_dmarc.example.net", "v=DMARC1; p=quarantine; pct=20")
    results = check(make_message(), client_ip="198.51.100.9")
    assert (results.dmarc.pct, results.dmarc_policy, results.dmarc_failed) == (20, "quarantine", True)


def test_a_servfail_on_the_policy_record_is_a_temporary_error(dns_server):
    dns_server.fail("_dmarc.example.net")
    results = check(make_message())
    assert (results.dmarc.result, results.dmarc_failed) == ("temperror", False)


def test_a_temporary_dkim_error_on_an_aligned_signature_is_not_a_failure(example_net, sign):
    example_net.fail("sel._domainkey.example.net")
    results = check(sign(make_message(), "example.net", publish=False), client_ip="198.51.100.9")
    assert (results.dkim[0].result, results.dmarc.result, results.dmarc_failed) == ("temperror", "temperror", False)


def test_two_from_fields_are_a_permanent_error(example_net):
    raw = make_message(extra=b"From: mallory@example.org\r\n")
    results = check(raw)
    assert (results.dmarc.result, results.dmarc.reason) == ("permerror", "multiple From fields")


def test_two_from_addresses_are_a_permanent_error(example_net):
    results = check(make_message(from_="alice@example.net, mallory@example.org"))
    assert (results.dmarc.result, results.dmarc.reason) == ("permerror", "multiple From addresses")


def test_a_message_without_from_has_no_identifier(example_net):
    raw = make_message().replace(b"From: Alice <alice@example.net>\r\n", b"")
    assert check(raw).dmarc.result == "none"
