"""SPF (RFC 7208) of the MAIL FROM domain, or of HELO for a null reverse-path, over real DNS."""
import pytest

from mailcore.smtp.checks.spf import check_spf

CLIENT = "192.0.2.10"


def spf(mail_from="alice@example.net", client_ip=CLIENT, helo="mx.example.net"):
    return check_spf(client_ip=client_ip, helo=helo, mail_from=mail_from, hostname="mx.example.test")


def test_it_passes_an_address_listed_by_ip4(dns_server):
    dns_server.add_txt("example.net", "v=spf1 ip4:192.0.2.0/24 -all")
    result = spf()
    assert (result.result, result.identity, result.domain) == ("pass", "mailfrom", "example.net")


def test_it_passes_an_ipv6_client_listed_by_ip6(dns_server):
    dns_server.add_txt("example.net", "v=spf1 ip6:2001:db8:25::/48 -all")
    assert spf(client_ip="2001:db8:25::7").result == "pass"
    assert spf(client_ip="2001:db8:99::7").result == "fail"


def test_it_passes_the_address_of_the_a_mechanism(dns_server):
    dns_server.add_txt("example.net", "v=spf1 a a:out.example.net -all")
    dns_server.add("example.net", "A", "198.51.100.1")
    dns_server.add("out.example.net", "A", CLIENT)
    assert spf().result == "pass"
    assert spf(client_ip="198.51.100.1").result == "pass"
    assert spf(client_ip="198.51.100.2").result == "fail"


def test_it_passes_the_mail_exchangers_of_the_mx_mechanism(dns_server):
    dns_server.add_txt("example.net", "v=spf1 mx -all")
    dns_server.add("example.net", "MX", "10 mx1.example.net.")
    dns_server.add("mx1.example.net", "A", CLIENT)
    assert spf().result == "pass"
    assert spf(client_ip="192.0.2.11").result == "fail"


def test_it_follows_include(dns_server):
    dns_server.add_txt("example.net", "v=spf1 include:_spf.provider.test -all")
    dns_server.add_txt("_spf.provider.test", "v=spf1 ip4:192.0.2.0/28 -all")
    assert spf().result == "pass"
    assert spf(client_ip="192.0.2.200").result == "fail"


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        ("v=spf1 ip4:198.51.100.0/24 -all", "fail"),
        ("v=spf1 ip4:198.51.100.0/24 ~all", "softfail"),
        ("v=spf1 ip4:198.51.100.0/24 ?all", "neutral"),
        ("v=spf1 ip4:198.51.100.0/24", "neutral"),  # RFC 7208 §4.7: no match and no all
    ],
)
def test_a_client_the_record_does_not_list_gets_the_qualifier_of_all(dns_server, record, expected):
    dns_server.add_txt("example.net", record)
    assert spf().result == expected


def test_a_domain_without_a_record_is_none(dns_server):
    dns_server.add("example.net", "A", "198.51.100.1")
    dns_server.add_txt("example.net", "google-site-verification=abc")
    assert spf().result == "none"
    assert spf(mail_from="alice@nonexistent.example").result == "none"


def test_two_spf_records_are_a_permanent_error(dns_server):
    dns_server.add_txt("example.net", "v=spf1 ip4:192.0.2.0/24 -all")
    dns_server.add_txt("example.net", "v=spf1 -all")
    assert spf().result == "permerror"  # RFC 7208 §4.5


@pytest.mark.parametrize(
    "record",
    ["v=spf1 ip4:192.0.2.300 -all", "v=spf1 frobnicate -all", "v=spf1 ip4:192.0.2.0/99 -all",
     "v=spf1 redirect=a.test redirect=b.test", "v=spf1 =a -all"],
)
def test_a_syntax_error_is_a_permanent_error(dns_server, record):
    dns_server.add_txt("example.net", record)
    assert spf().result == "permerror"


def test_more_than_ten_dns_querying_terms_are_a_permanent_error(dns_server):
    names = [f"h{index}.example.net" for index in range(12)]
    for name in names:
        dns_server.add(name, "A", "198.51.100.1")
    dns_server.add_txt("example.net", "v=spf1 " + " ".join(f"a:{name}" for name in names) + " -all")
    assert spf().result == "permerror"  # RFC 7208 §4.6.4
    assert ("h11.example.net", "A") not in dns_server.queries  # evaluation stopped at the limit


def test_ten_dns_querying_terms_are_allowed(dns_server):
    names = [f"h{index}.example.net" for index in range(10)]
    for name in names:
        dns_server.add(name, "A", "198.51.100.1")
    dns_server.add_txt("example.net", "v=spf1 " + " ".join(f"a:{name}" for name in names) + " ip4:192.0.2.10 -all")
    assert spf().result == "pass"


def test_a_servfail_is_a_temporary_error(dns_server):
    dns_server.fail("example.net")
    assert spf().result == "temperror"


def test_a_servfail_below_an_include_is_a_temporary_error(dns_server):
    dns_server.add_txt("example.net", "v=spf1 include:broken.provider.test -all")
    dns_server.fail("broken.provider.test")
    assert spf().result == "temperror"


def test_a_null_reverse_path_checks_the_helo_name(dns_server):
    # RFC 7208 §2.4: MAIL FROM:<> is checked as postmaster@<HELO name>.
    dns_server.add_txt("mx.example.net", "v=spf1 ip4:192.0.2.10 -all")
    dns_server.add_txt("example.net", "v=spf1 -all")
    result = spf(mail_from="")
    assert (result.result, result.identity, result.domain) == ("pass", "helo", "mx.example.net")


def test_an_internationalized_domain_is_checked_in_a_labels(dns_server):
    a_label = "hóa-đơn.vn".encode("idna").decode()
    dns_server.add_txt(a_label, "v=spf1 ip4:192.0.2.10 -all")
    result = spf(mail_from="kế-toán@hóa-đơn.vn")
    assert (result.result, result.domain) == ("pass", a_label)
