"""Outbound MTA-STS (RFC 8461) over the real path: the stub DNS publishes `_mta-sts` TXT
records, a local HTTPS server is the policy host, aiosmtpd sinks are the MX hosts with
certificates the test trusts (HOPTHU_OUTBOUND_CA_FILE) or does not."""
import http.server
import ssl
import threading

import pytest

from mailcore.delivery.models import MtaStsPolicy
from mailcore.delivery.outbound import deliver
from mailcore.dns import forget_answers
from mailcore.service.tls import generate_self_signed
from tests.mailcore.outbound.messages import message

pytestmark = pytest.mark.django_db

ENFORCE = "version: STSv1\nmode: enforce\nmx: mx1.example.net\nmx: *.backup.example.net\nmax_age: 86400\n"


def context_for(cert, key):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


@pytest.fixture
def trusted(tmp_path, settings):
    """A certificate for the MX and the policy host, trusted by the client as its CA file."""
    cert, key = tmp_path / "trusted.pem", tmp_path / "trusted.key"
    generate_self_signed(cert, key, ["mx1.example.net", "mta-sts.example.net", "mx2.backup.example.net"])
    settings.HOPTHU_OUTBOUND_CA_FILE = str(cert)
    settings.HOPTHU_MTA_STS = True
    return context_for(cert, key)


@pytest.fixture
def untrusted(tmp_path):
    cert, key = tmp_path / "other.pem", tmp_path / "other.key"
    generate_self_signed(cert, key, ["mx1.example.net"])
    return context_for(cert, key)


class PolicyHost(http.server.ThreadingHTTPServer):
    def __init__(self, context):
        super().__init__(("127.0.0.1", 0), PolicyHandler)
        self.socket = context.wrap_socket(self.socket, server_side=True)
        self.body, self.status, self.content_type, self.location = ENFORCE, 200, "text/plain", None
        self.requests = 0


class PolicyHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        server = self.server
        server.requests += 1
        if self.path != "/.well-known/mta-sts.txt" or self.headers["Host"] != "mta-sts.example.net":
            self.send_error(404)
            return
        body = server.body.encode()
        self.send_response(server.status)
        self.send_header("Content-Type", server.content_type)
        if server.location:
            self.send_header("Location", server.location)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def policy_host(trusted, settings, dns_server):
    server = PolicyHost(trusted)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.HOPTHU_MTA_STS_PORT = server.server_address[1]
    dns_server.add("mta-sts.example.net", "A", "127.0.0.1")
    yield server
    server.shutdown()
    server.server_close()


def publish_policy_id(dns_server, policy_id="20261208"):
    dns_server.records.pop(next((k for k in dns_server.records if str(k[0]) == "_mta-sts.example.net."), None), None)
    dns_server.add("_mta-sts.example.net", "TXT", f'"v=STSv1; id={policy_id};"', ttl=0)


def send():
    return deliver("example.net", "alice@example.test", ["bob@example.net"], message())["bob@example.net"]


def test_rfc8461_5_enforce_delivers_over_verified_tls_to_a_listed_mx(sink, publish_mx, policy_host, dns_server,
                                                                     trusted):
    remote = sink(tls_context=trusted)
    publish_mx("example.net", (10, "mx1.example.net", "127.0.0.1"))
    publish_policy_id(dns_server)
    result = send()
    assert result.delivered and remote.messages[0].tls
    cached = MtaStsPolicy.objects.get(domain="example.net")
    assert (cached.policy_id, cached.mode, cached.mx) == ("20261208", "enforce", ["mx1.example.net",
                                                                                  "*.backup.example.net"])


def test_rfc8461_4_1_an_mx_outside_the_policy_is_never_used(sink, publish_mx, policy_host, dns_server, trusted):
    remote = sink(tls_context=trusted)
    publish_mx("example.net", (10, "mx.attacker.example", "127.0.0.1"))
    publish_policy_id(dns_server)
    result = send()
    assert not result.delivered and not result.permanent and result.enhanced == "4.7.5"
    assert "MTA-STS" in result.reply and remote.messages == []


def test_rfc8461_4_1_a_wildcard_matches_one_label(sink, publish_mx, policy_host, dns_server, trusted):
    remote = sink(tls_context=trusted)
    publish_mx("example.net", (10, "mx2.backup.example.net", "127.0.0.1"))
    publish_policy_id(dns_server)
    assert send().delivered and remote.messages[0].tls


def test_rfc8461_4_2_an_untrusted_certificate_defers_and_never_falls_back_to_plaintext(
        sink, publish_mx, policy_host, dns_server, untrusted):
    remote = sink(tls_context=untrusted)
    publish_mx("example.net", (10, "mx1.example.net", "127.0.0.1"))
    publish_policy_id(dns_server)
    result = send()
    assert not result.delivered and not result.permanent and result.enhanced == "4.7.5"
    assert remote.messages == []


def test_rfc8461_5_an_mx_without_starttls_is_refused_in_enforce_mode(sink, publish_mx, policy_host, dns_server):
    remote = sink(starttls=False)
    publish_mx("example.net", (10, "mx1.example.net", "127.0.0.1"))
    publish_policy_id(dns_server)
    result = send()
    assert not result.delivered and result.enhanced == "4.7.4" and remote.messages == []


def test_rfc8461_5_2_testing_mode_delivers_as_before(sink, publish_mx, policy_host, dns_server, untrusted):
    policy_host.body = ENFORCE.replace("enforce", "testing")
    remote = sink(tls_context=untrusted)
    publish_mx("example.net", (10, "mx.elsewhere.example", "127.0.0.1"))
    publish_policy_id(dns_server)
    assert send().delivered and len(remote.messages) == 1


def test_rfc8461_5_1_a_cached_policy_holds_when_the_policy_host_is_blocked(sink, publish_mx, policy_host,
                                                                          dns_server, trusted):
    remote = sink(tls_context=trusted)
    publish_mx("example.net", (10, "mx1.example.net", "127.0.0.1"))
    publish_policy_id(dns_server)
    assert send().delivered
    # An attacker strips the TXT record and blocks the policy host, and offers its own MX.
    dns_server.records.clear()
    forget_answers()
    publish_mx("example.net", (10, "mx.attacker.example", "127.0.0.1"))
    policy_host.status = 503
    result = send()
    assert not result.delivered and result.enhanced == "4.7.5" and len(remote.messages) == 1


def test_rfc8461_3_1_the_same_id_is_not_fetched_again_and_a_new_id_is(sink, publish_mx, policy_host,
                                                                     dns_server, trusted):
    sink(tls_context=trusted)
    publish_mx("example.net", (10, "mx1.example.net", "127.0.0.1"))
    publish_policy_id(dns_server, "one")
    send()
    send()
    assert policy_host.requests == 1
    policy_host.body = ENFORCE.replace("enforce", "testing")
    publish_policy_id(dns_server, "two")
    send()
    assert policy_host.requests == 2
    assert MtaStsPolicy.objects.get(domain="example.net").mode == "testing"


@pytest.mark.parametrize("change", ["redirect", "html", "no version", "too big"])
def test_rfc8461_3_3_a_policy_that_breaks_the_rules_is_no_policy(sink, publish_mx, policy_host, dns_server,
                                                                 change):
    if change == "redirect":
        policy_host.status, policy_host.location = 302, "https://mta-sts.example.net/other.txt"
    elif change == "html":
        policy_host.content_type = "text/html"
    elif change == "no version":
        policy_host.body = ENFORCE.replace("version: STSv1\n", "")
    else:
        policy_host.body = ENFORCE + "x" * 70_000
    remote = sink(starttls=False)  # what enforcement would refuse
    publish_mx("example.net", (10, "mx.elsewhere.example", "127.0.0.1"))
    publish_policy_id(dns_server)
    assert send().delivered and len(remote.messages) == 1
    assert not MtaStsPolicy.objects.exists()


def test_a_domain_without_the_txt_record_is_not_asked_for_a_policy(sink, publish_mx, policy_host):
    remote = sink(starttls=False)
    publish_mx("example.net", (10, "mx1.example.net", "127.0.0.1"))
    assert send().delivered and len(remote.messages) == 1
    assert policy_host.requests == 0
