"""The live check against a DNS server on 127.0.0.1: correct, missing and wrong records,
each wrong or missing one with a fix (mailcore/dnsguide/check.py, txt.py)."""
import pytest

from mailcore.dkim.keys import create_key
from mailcore.dnsguide.check import check_domain
from mailcore.dnsguide.records import expected_records

from .publish import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(domain):
    create_key(domain)
    return expected_records(domain)


def check(domain, records):
    return check_domain(domain, records, refresh=True).results


def dkim_key(records):
    return next(record for record in records if record.key.startswith("dkim:"))


def test_a_domain_that_published_everything_is_all_correct(dns_server, domain, records):
    publish(dns_server, records)
    results = check(domain, records)
    assert set(results) == {record.key for record in records}
    assert {key: result.status for key, result in results.items() if result.status != "ok"} == {}
    assert all(result.fix == "" for result in results.values())


def test_a_domain_that_published_nothing_is_told_what_to_add(dns_server, domain, records):
    results = check(domain, records)
    for key in ("mx", "spf", dkim_key(records).key, "dmarc", "mta-sts", "mta-sts-host", "tlsrpt", "autoconfig",
                "autodiscover", "srv:imaps", "srv:submissions", "host:A:192.0.2.25"):
        assert results[key].status == "missing", key
        assert results[key].fix, key
    assert "mail.example.test" in results["mx"].fix
    assert "v=spf1 mx -all" in results["spf"].fix
    assert results["host:AAAA"].status == "ok"  # no IPv6 configured and none published


def test_an_mx_pointing_elsewhere_is_wrong(dns_server, domain, records):
    publish(dns_server, records, skip=("mx",))
    dns_server.add("example.test", "MX", "10 mx.elsewhere.test.")
    result = check(domain, records)["mx"]
    assert result.status == "wrong" and result.found == ("10 mx.elsewhere.test",)
    assert "mail.example.test" in result.fix


def test_an_extra_mx_elsewhere_is_a_warning(dns_server, domain, records):
    publish(dns_server, records)
    dns_server.add("example.test", "MX", "20 backup.elsewhere.test.")
    result = check(domain, records)["mx"]
    assert result.status == "warn" and "backup.elsewhere.test" in result.message


def test_a_null_mx_is_wrong(dns_server, domain, records):
    publish(dns_server, records, skip=("mx",))
    dns_server.add("example.test", "MX", "0 .")
    result = check(domain, records)["mx"]
    assert result.status == "wrong" and "RFC 7505" in result.message


def test_two_spf_records_are_an_error(dns_server, domain, records):
    publish(dns_server, records)
    dns_server.add_txt("example.test", "v=spf1 include:_spf.elsewhere.test ~all")
    result = check(domain, records)["spf"]
    assert result.status == "wrong" and len(result.found) == 2
    assert "one record" in result.fix


def test_an_spf_record_without_mx_fails_for_our_address(dns_server, domain, records):
    publish(dns_server, records, skip=("spf",))
    dns_server.add_txt("example.test", "v=spf1 ip4:198.51.100.1 -all")
    dns_server.add_txt("example.test", "google-site-verification=abc")  # other TXT records are not SPF
    result = check(domain, records)["spf"]
    assert result.status == "wrong" and "192.0.2.25" in result.message and '"fail"' in result.message
    assert '"mx"' in result.fix


def test_an_spf_record_that_allows_everyone_is_wrong(dns_server, domain, records):
    publish(dns_server, records, skip=("spf",))
    dns_server.add_txt("example.test", "v=spf1 mx +all")
    assert check(domain, records)["spf"].status == "wrong"


def test_an_spf_record_in_other_words_that_passes_is_correct(dns_server, domain, records):
    publish(dns_server, records, skip=("spf",))
    dns_server.add_txt("example.test", "v=spf1 ip4:192.0.2.0/24 ~all")
    assert check(domain, records)["spf"].status == "ok"


def test_a_different_dkim_key_is_wrong(dns_server, domain, records):
    dkim = dkim_key(records)
    publish(dns_server, records, skip=("dkim:",))
    dns_server.add_txt(dkim.name, "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAothers")
    result = check(domain, records)[dkim.key]
    assert result.status == "wrong" and "differs" in result.message and dkim.name in result.fix


def test_a_revoked_dkim_key_is_wrong(dns_server, domain, records):
    dkim = dkim_key(records)
    publish(dns_server, records, skip=("dkim:",))
    dns_server.add_txt(dkim.name, "v=DKIM1; p=")
    assert "revoked" in check(domain, records)[dkim.key].message


def test_a_dkim_key_split_with_spaces_by_a_dns_provider_is_correct(dns_server, domain, records):
    dkim = dkim_key(records)
    publish(dns_server, records, skip=("dkim:",))
    half = len(dkim.value) // 2
    dns_server.add_txt(dkim.name, dkim.value[:half] + " " + dkim.value[half:])
    assert check(domain, records)[dkim.key].status == "ok"


@pytest.mark.parametrize(("value", "words"), [
    ("v=DMARC1; p=bogus", "p= must be"),
    ("v=dmarc1; p=none", "v=DMARC1"),
    ("p=none; v=DMARC1", None),
    ("v=DMARC1; p=reject; rua=postmaster@example.test", "mailto:"),
])
def test_dmarc_syntax_errors_are_wrong(dns_server, domain, records, value, words):
    publish(dns_server, records, skip=("dmarc",))
    dns_server.add_txt("_dmarc.example.test", value)
    result = check(domain, records)["dmarc"]
    # A record not starting with v=DMARC1 is no DMARC record at all (RFC 7489 §6.6.3).
    assert result.status == ("missing" if words is None else "wrong")
    assert words is None or words in result.message


def test_dmarc_in_monitoring_mode_is_correct_with_advice(dns_server, domain, records):
    publish(dns_server, records)
    result = check(domain, records)["dmarc"]
    assert result.status == "ok" and "p=quarantine" in result.message


def test_an_mta_sts_record_with_an_old_id_is_wrong(dns_server, domain, records):
    publish(dns_server, records, skip=("mta-sts",))
    dns_server.add("mta-sts.example.test", "CNAME", "mail.example.test.")
    dns_server.add_txt("_mta-sts.example.test", "v=STSv1; id=2020old")
    results = check(domain, records)
    assert results["mta-sts"].status == "wrong" and "id" in results["mta-sts"].message
    assert results["mta-sts-host"].status == "ok"


def test_a_tls_report_record_without_rua_is_wrong(dns_server, domain, records):
    publish(dns_server, records, skip=("tlsrpt",))
    dns_server.add_txt("_smtp._tls.example.test", "v=TLSRPTv1;")
    assert check(domain, records)["tlsrpt"].status == "wrong"


def test_srv_records_with_another_port_or_no_service_are_wrong(dns_server, domain, records):
    publish(dns_server, records, skip=("srv:imaps", "srv:pop3"))
    dns_server.add("_imaps._tcp.example.test", "SRV", "0 1 9993 mail.example.test.")
    dns_server.add("_pop3._tcp.example.test", "SRV", "0 0 0 .")
    results = check(domain, records)
    assert results["srv:imaps"].status == "wrong" and "993" in results["srv:imaps"].fix
    assert results["srv:imaps"].found == ("0 1 9993 mail.example.test",)
    assert results["srv:pop3"].status == "wrong" and "not offered" in results["srv:pop3"].message


def test_autoconfig_may_be_an_address_record_of_the_mail_host_but_not_another(dns_server, domain, records):
    publish(dns_server, records, skip=("autoconfig", "autodiscover"))
    dns_server.add("autoconfig.example.test", "A", "192.0.2.25")
    dns_server.add("autodiscover.example.test", "CNAME", "www.example.test.")
    results = check(domain, records)
    assert results["autoconfig"].status == "ok"
    assert results["autodiscover"].status == "wrong" and results["autodiscover"].found == ("www.example.test",)


def test_the_mail_hosts_address_must_be_the_configured_one(dns_server, domain, records):
    publish(dns_server, records, skip=("host:",))
    dns_server.add("mail.example.test", "A", "198.51.100.7")
    dns_server.add("mail.example.test", "AAAA", "2001:db8::7")
    results = check(domain, records)
    assert results["host:A:192.0.2.25"].status == "wrong" and "192.0.2.25" in results["host:A:192.0.2.25"].fix
    assert results["host:AAAA"].status == "warn"  # IPv6 that HopThu was not told about


def test_a_failing_name_server_gives_errors_not_exceptions(dns_server, domain, records):
    dns_server.fail("example.test")
    results = check(domain, records)
    assert results["mx"].status == "error" and results["spf"].status == "error"


def test_a_silent_dns_server_ends_in_errors(settings, domain, records):
    # Nothing listens on this port: every lookup fails within HOPTHU_DNS_TIMEOUT.
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))  # bound but never read: queries go unanswered
        settings.HOPTHU_DNS_SERVERS = f"127.0.0.1:{sock.getsockname()[1]}"
        settings.HOPTHU_DNS_TIMEOUT = 0.3
        results = check(domain, records)
    assert {result.status for key, result in results.items() if key != "host:AAAA"} == {"error"}


def test_reports_are_cached_for_a_minute_unless_refreshed(dns_server, domain, records):
    from django.core.cache import cache

    cache.clear()
    first = check_domain(domain, records)
    asked = len(dns_server.queries)
    assert check_domain(domain, records) is not None and len(dns_server.queries) == asked
    assert check_domain(domain, records, refresh=True).checked >= first.checked
    assert len(dns_server.queries) > asked
