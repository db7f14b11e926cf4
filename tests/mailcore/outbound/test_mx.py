"""mx.destinations(): which hosts, in which order, per RFC 5321 §5.1 and RFC 7505."""
import dns.rdata
import pytest

from mailcore.delivery.outbound import DeliveryError, destinations
from mailcore.delivery.outbound.mx import _ordered
from mailcore.dns import TemporaryDNSError


def test_hosts_come_in_order_of_preference_with_their_addresses(dns_server, publish_mx, settings):
    settings.HOPTHU_OUTBOUND_PORT = 2525
    publish_mx("example.net", (20, "backup.example.net", "192.0.2.20"), (10, "mx.example.net", "192.0.2.10"))
    dns_server.add("mx.example.net", "AAAA", "2001:db8::10")
    hosts = destinations("example.net")
    assert [(h.preference, h.name, h.address, h.port) for h in hosts] == [
        (10, "mx.example.net", "192.0.2.10", 2525),
        (10, "mx.example.net", "2001:db8::10", 2525),
        (20, "backup.example.net", "192.0.2.20", 2525),
    ]


def test_ipv6_addresses_can_be_switched_off(dns_server, publish_mx, settings):
    settings.HOPTHU_OUTBOUND_IPV6 = False
    publish_mx("example.net", (10, "mx.example.net", "192.0.2.10"))
    dns_server.add("mx.example.net", "AAAA", "2001:db8::10")
    assert [h.address for h in destinations("example.net")] == ["192.0.2.10"]


def test_hosts_of_equal_preference_are_tried_in_random_order(publish_mx):
    publish_mx("example.net", (10, "a.example.net", "192.0.2.1"), (10, "b.example.net", "192.0.2.2"),
               (5, "first.example.net", "192.0.2.5"))
    orders = {tuple(h.name for h in destinations("example.net")) for _ in range(40)}
    assert orders == {("first.example.net", "a.example.net", "b.example.net"),
                      ("first.example.net", "b.example.net", "a.example.net")}


def test_the_order_is_shuffled_even_when_dns_answers_in_a_fixed_order():
    # A caching resolver may hand out one order to everyone; the spreading must be ours.
    records = [dns.rdata.from_text("IN", "MX", text) for text in ("10 a.example.net.", "10 b.example.net.",
                                                                   "20 c.example.net.")]
    orders = {tuple(name for _preference, name in _ordered(records)) for _ in range(40)}
    assert orders == {("a.example.net", "b.example.net", "c.example.net"),
                      ("b.example.net", "a.example.net", "c.example.net")}


def test_a_domain_without_mx_is_its_own_host(dns_server):
    dns_server.add("example.net", "A", "192.0.2.7")
    [host] = destinations("example.net")
    assert (host.name, host.address, host.preference) == ("example.net", "192.0.2.7", 0)


def test_a_null_mx_refuses_mail_permanently(dns_server):
    dns_server.add("example.net", "MX", "0 .")
    dns_server.add("example.net", "A", "192.0.2.7")  # must not be used as an implicit MX
    with pytest.raises(DeliveryError) as caught:
        destinations("example.net")
    result = caught.value.result
    assert (result.code, result.enhanced, result.permanent) == (556, "5.1.10", True)


def test_a_domain_with_neither_mx_nor_address_fails_permanently(dns_server):
    with pytest.raises(DeliveryError) as caught:
        destinations("nowhere.example.net")
    assert caught.value.result.permanent
    assert caught.value.result.enhanced == "5.1.2"


def test_mx_hosts_without_addresses_are_a_temporary_failure(dns_server):
    dns_server.add("example.net", "MX", "10 gone.example.net.")
    with pytest.raises(DeliveryError) as caught:
        destinations("example.net")
    assert caught.value.result.temporary


def test_servfail_is_a_temporary_dns_error(dns_server):
    dns_server.fail("example.net")
    with pytest.raises(TemporaryDNSError):
        destinations("example.net")


def test_an_mx_host_that_fails_to_resolve_is_skipped_if_another_resolves(dns_server, publish_mx):
    publish_mx("example.net", (20, "ok.example.net", "192.0.2.2"))
    dns_server.add("example.net", "MX", "10 broken.example.net.")
    dns_server.fail("broken.example.net")
    assert [h.name for h in destinations("example.net")] == ["ok.example.net"]


def test_an_idn_domain_is_looked_up_as_its_a_label(dns_server, publish_mx):
    publish_mx("xn--bcher-kva.example", (10, "mx.xn--bcher-kva.example", "192.0.2.9"))
    [host] = destinations("Bücher.example")
    assert host.address == "192.0.2.9"
    assert ("xn--bcher-kva.example", "MX") in dns_server.queries


def test_this_server_and_less_preferred_hosts_are_dropped(publish_mx, settings):
    settings.HOPTHU_HOSTNAME = "mail.example.test"
    publish_mx("example.net", (10, "primary.example.net", "192.0.2.1"), (20, "mail.example.test", "192.0.2.99"),
               (30, "backup.example.net", "192.0.2.3"))
    assert [h.name for h in destinations("example.net")] == ["primary.example.net"]


def test_mail_that_would_loop_back_here_fails(publish_mx, settings):
    settings.HOPTHU_HOSTNAME = "mail.example.test"
    publish_mx("example.net", (10, "mail.example.test", "192.0.2.99"))
    with pytest.raises(DeliveryError) as caught:
        destinations("example.net")
    assert caught.value.result.enhanced == "5.4.6"


def test_an_address_literal_is_the_host(dns_server):
    assert [h.address for h in destinations("[192.0.2.4]")] == ["192.0.2.4"]
    assert [h.address for h in destinations("[IPv6:2001:db8::4]")] == ["2001:db8::4"]
    assert dns_server.queries == []
