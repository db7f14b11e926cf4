"""RFC 8460 §4.3: each outbound TLS session is counted per policy domain, MX host, IP and
result, over the real delivery path (stub DNS, aiosmtpd sinks with real certificates)."""
import pytest

from mailcore.delivery.outbound import deliver
from mailcore.delivery.outbound.session import tls_failure_type
from mailcore.reports.models import TlsSessionCount
from mailcore.service.tls import generate_self_signed
from tests.mailcore.outbound import test_mta_sts
from tests.mailcore.outbound.messages import message
from tests.mailcore.outbound.test_mta_sts import context_for, publish_policy_id

# The MTA-STS tests' certificates and policy host, as fixtures of this module too.
trusted, untrusted, policy_host = test_mta_sts.trusted, test_mta_sts.untrusted, test_mta_sts.policy_host

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def recording(settings):
    settings.HOPTHU_TLSRPT = True


def send(subject="Hello"):
    return deliver("example.net", "alice@example.test", ["bob@example.net"], message(subject))["bob@example.net"]


def counts():
    return {(row.policy_domain, row.policy_type, row.receiving_mx, row.receiving_ip, row.result_type): row.count
            for row in TlsSessionCount.objects.all()}


def test_rfc8460_4_3_sessions_that_start_tls_are_counted_as_success(sink, publish_mx):
    remote = sink()
    publish_mx("example.net", (10, "mx1.example.net", "127.0.0.1"))
    assert send("one").delivered and send("two").delivered and remote.messages[0].tls
    assert counts() == {("example.net", "no-policy-found", "mx1.example.net", "127.0.0.1", "success"): 2}


def test_rfc8460_4_3_1_an_mx_without_starttls_is_starttls_not_supported(sink, publish_mx):
    sink(starttls=False)
    publish_mx("example.net", (10, "mx1.example.net", "127.0.0.1"))
    assert send().delivered  # opportunistic TLS: delivered in plaintext, and reported
    assert counts() == {("example.net", "no-policy-found", "mx1.example.net", "127.0.0.1",
                         "starttls-not-supported"): 1}


def test_rfc8460_4_3_2_an_untrusted_certificate_under_an_sts_policy_is_certificate_not_trusted(
        sink, publish_mx, policy_host, dns_server, untrusted):
    remote = sink(tls_context=untrusted)
    publish_mx("example.net", (10, "mx1.example.net", "127.0.0.1"))
    publish_policy_id(dns_server)
    assert not send().delivered and remote.messages == []
    row = TlsSessionCount.objects.get()
    assert (row.policy_type, row.policy_id, row.result_type, row.count) == ("sts", "20261208",
                                                                            "certificate-not-trusted", 1)
    assert row.policy_string == ["version: STSv1", "mode: enforce", "mx: mx1.example.net",
                                 "mx: *.backup.example.net", "max_age: 86400"]


def test_rfc8460_4_3_2_a_certificate_for_another_name_is_certificate_host_mismatch(
        sink, publish_mx, policy_host, dns_server, trusted, tmp_path, settings):
    cert, key = tmp_path / "elsewhere.pem", tmp_path / "elsewhere.key"
    generate_self_signed(cert, key, ["elsewhere.example.org"])
    bundle = tmp_path / "bundle.pem"
    bundle.write_bytes((tmp_path / "trusted.pem").read_bytes() + cert.read_bytes())
    settings.HOPTHU_OUTBOUND_CA_FILE = str(bundle)  # trusted, but not for mx1.example.net
    sink(tls_context=context_for(cert, key))
    publish_mx("example.net", (10, "mx1.example.net", "127.0.0.1"))
    publish_policy_id(dns_server)
    assert not send().delivered
    assert counts() == {("example.net", "sts", "mx1.example.net", "127.0.0.1", "certificate-host-mismatch"): 1}


def test_rfc8460_4_3_2_verified_tls_under_an_sts_policy_is_success(sink, publish_mx, policy_host, dns_server,
                                                                   trusted):
    sink(tls_context=trusted)
    publish_mx("example.net", (10, "mx1.example.net", "127.0.0.1"))
    publish_policy_id(dns_server)
    assert send().delivered
    assert counts() == {("example.net", "sts", "mx1.example.net", "127.0.0.1", "success"): 1}


def test_rfc8460_4_3_2_other_handshake_failures_are_validation_failure():
    assert tls_failure_type(ConnectionResetError()) == "validation-failure"


def test_an_unreachable_host_is_not_a_tls_session(sink, publish_mx):
    publish_mx("example.net", (10, "mx1.example.net", "127.0.0.9"))  # nothing listens there
    sink()
    assert not send().delivered
    assert counts() == {}


def test_recording_is_off_when_tlsrpt_is(sink, publish_mx, settings):
    settings.HOPTHU_TLSRPT = False
    sink()
    publish_mx("example.net", (10, "mx1.example.net", "127.0.0.1"))
    assert send().delivered and counts() == {}


def policy_failures():
    return {(row.policy_type, row.receiving_mx, row.result_type): row.count
            for row in TlsSessionCount.objects.exclude(result_type="success")}


def test_rfc8460_4_3_2_1_a_policy_host_answering_404_is_sts_policy_fetch_error(sink, publish_mx, policy_host,
                                                                               dns_server):
    policy_host.status = 404
    sink()
    publish_mx("example.net", (10, "mx1.example.net", "127.0.0.1"))
    publish_policy_id(dns_server)
    assert send().delivered  # no policy cached: delivered as if there were none (RFC 8461 §5.1)
    assert policy_failures() == {("sts", "", "sts-policy-fetch-error"): 1}


def test_rfc8460_4_3_2_1_an_unreadable_policy_is_sts_policy_invalid(sink, publish_mx, policy_host, dns_server):
    policy_host.body = "version: STSv1\nmode: sometimes\nmax_age: 60\n"
    sink()
    publish_mx("example.net", (10, "mx1.example.net", "127.0.0.1"))
    publish_policy_id(dns_server)
    assert send().delivered
    assert policy_failures() == {("sts", "", "sts-policy-invalid"): 1}


def test_rfc8460_4_3_2_1_a_policy_host_with_an_untrusted_certificate_is_sts_webpki_invalid(
        sink, publish_mx, policy_host, dns_server, settings):
    settings.HOPTHU_OUTBOUND_CA_FILE = ""  # the system's CAs do not know the policy host's certificate
    sink()
    publish_mx("example.net", (10, "mx1.example.net", "127.0.0.1"))
    publish_policy_id(dns_server)
    assert send().delivered
    assert policy_failures() == {("sts", "", "sts-webpki-invalid"): 1}
