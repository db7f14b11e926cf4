"""DNS block lists (RFC 5782) asked through the mail core's resolver, answered by the stub server."""
import pytest

from mailcore.filters import dnsbl


def test_ipv4_octets_are_reversed():
    assert dnsbl.query_name("192.0.2.99", "bl.example") == "99.2.0.192.bl.example"


def test_an_ipv4_mapped_client_is_asked_as_ipv4():
    assert dnsbl.query_name("::ffff:192.0.2.99", "bl.example") == "99.2.0.192.bl.example"


def test_ipv6_is_asked_by_reversed_nibbles():
    # The example of RFC 5782 §2.4.
    name = dnsbl.query_name("2001:db8:1:2:3:4:567:89ab", "bl.example")
    assert name == "b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.bl.example"


def test_zones_and_their_points_come_from_the_setting(settings):
    settings.HOPTHU_DNSBL_ZONES = "zen.example:6, bl.example ,odd.example:many"
    assert dnsbl.zones() == [("zen.example", 6.0), ("bl.example", dnsbl.DEFAULT_WEIGHT),
                             ("odd.example", dnsbl.DEFAULT_WEIGHT)]


def test_no_zones_asks_nothing(settings, dns_server):
    settings.HOPTHU_DNSBL_ZONES = ""
    assert dnsbl.findings("192.0.2.99") == []
    assert not dns_server.queries


def test_a_listed_client_is_a_finding_with_the_zones_points(settings, dns_server):
    settings.HOPTHU_DNSBL_ZONES = "zen.example:6,clean.example:3"
    dns_server.add("99.2.0.192.zen.example", "A", "127.0.0.2")
    [finding] = dnsbl.findings("192.0.2.99")
    assert finding.rule == "DNSBL:zen.example" and finding.score == 6.0 and "127.0.0.2" in finding.detail


def test_an_ipv6_listing_is_found(settings, dns_server):
    settings.HOPTHU_DNSBL_ZONES = "bl.example"
    dns_server.add(dnsbl.query_name("2001:db8::1", "bl.example"), "A", "127.0.0.4")
    assert [f.rule for f in dnsbl.findings("2001:db8::1")] == ["DNSBL:bl.example"]


def test_a_refusal_to_answer_is_not_a_listing(settings, dns_server):
    # Spamhaus answers 127.255.255.x to queries through public resolvers: not a verdict on the client.
    settings.HOPTHU_DNSBL_ZONES = "zen.example"
    dns_server.add("99.2.0.192.zen.example", "A", "127.255.255.254")
    assert dnsbl.findings("192.0.2.99") == []


def test_an_answer_outside_loopback_is_not_a_listing(settings, dns_server):
    settings.HOPTHU_DNSBL_ZONES = "wild.example"
    dns_server.add("99.2.0.192.wild.example", "A", "192.0.2.1")
    assert dnsbl.findings("192.0.2.99") == []


@pytest.mark.django_db
def test_a_failing_list_adds_nothing(settings, dns_server):
    settings.HOPTHU_DNSBL_ZONES = "broken.example"
    dns_server.fail("99.2.0.192.broken.example")
    assert dnsbl.findings("192.0.2.99") == []
