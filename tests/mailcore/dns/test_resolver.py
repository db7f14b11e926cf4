"""mailcore.dns answers over real DNS from the configured servers."""
import pytest

from mailcore import dns as mail_dns


def test_records_come_from_the_configured_server(dns_server):
    dns_server.add("example.net", "MX", "10 mx1.example.net.")
    dns_server.add("example.net", "MX", "20 mx2.example.net.")
    records = sorted((r.preference, r.exchange.to_text()) for r in mail_dns.query("example.net", "MX"))
    assert records == [(10, "mx1.example.net."), (20, "mx2.example.net.")]
    assert ("example.net", "MX") in dns_server.queries


def test_a_missing_name_or_type_is_an_empty_answer(dns_server):
    dns_server.add("example.net", "A", "127.0.0.1")
    assert mail_dns.query("nothing.example.net", "MX") == []
    assert mail_dns.query("example.net", "MX") == []


def test_servfail_is_a_temporary_error(dns_server):
    dns_server.fail("broken.test")
    with pytest.raises(mail_dns.TemporaryDNSError):
        mail_dns.query("broken.test", "MX")


def test_long_txt_records_are_joined_and_big_answers_come_over_tcp(dns_server):
    key = "v=DKIM1; k=rsa; p=" + "A" * 700
    dns_server.add_txt("sel._domainkey.example.net", key)
    for index in range(40):
        dns_server.add_txt("many.example.net", f"record {index} " + "x" * 60)
    assert mail_dns.txt_strings("sel._domainkey.example.net") == [key]
    assert len(mail_dns.txt_strings("many.example.net")) == 40


def test_answers_are_kept_for_their_ttl_and_flush_forgets_them(dns_server):
    dns_server.add_txt("cached.example.net", "v=spf1 -all")
    assert mail_dns.txt_strings("cached.example.net") == ["v=spf1 -all"]
    asked = dns_server.queries.count(("cached.example.net", "TXT"))
    assert mail_dns.txt_strings("CACHED.example.net") == ["v=spf1 -all"]
    assert dns_server.queries.count(("cached.example.net", "TXT")) == asked  # from the cache
    mail_dns.flush_cache()
    assert mail_dns.txt_strings("cached.example.net") == ["v=spf1 -all"]
    assert dns_server.queries.count(("cached.example.net", "TXT")) == asked + 1
