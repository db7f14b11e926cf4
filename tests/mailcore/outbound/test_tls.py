"""STARTTLS per HOPTHU_OUTBOUND_TLS: "may" (opportunistic), "encrypt" (required), "none"."""
import ssl
import warnings

from mailcore.delivery.outbound import deliver
from tests.mailcore.outbound.messages import message


def send(publish_mx):
    publish_mx("example.net", (10, "mx1.example.net", "127.0.0.1"))
    return deliver("example.net", "alice@example.test", ["bob@example.net"], message())["bob@example.net"]


def test_starttls_is_used_when_offered(sink, publish_mx):
    remote = sink(starttls=True)
    assert send(publish_mx).delivered
    assert remote.messages[0].tls


def test_may_delivers_in_plaintext_without_starttls(sink, publish_mx):
    remote = sink(starttls=False)
    assert send(publish_mx).delivered
    assert not remote.messages[0].tls


def test_none_never_starts_tls(sink, publish_mx, settings):
    settings.HOPTHU_OUTBOUND_TLS = "none"
    remote = sink(starttls=True)
    assert send(publish_mx).delivered
    assert not remote.messages[0].tls


def test_encrypt_defers_when_starttls_is_not_offered(sink, publish_mx, settings):
    settings.HOPTHU_OUTBOUND_TLS = "encrypt"
    remote = sink(starttls=False)
    result = send(publish_mx)
    assert (result.delivered, result.temporary, result.enhanced) == (False, True, "4.7.4")
    assert remote.messages == []


def test_encrypt_delivers_over_tls(sink, publish_mx, settings):
    settings.HOPTHU_OUTBOUND_TLS = "encrypt"
    remote = sink(starttls=True)
    assert send(publish_mx).delivered
    assert remote.messages[0].tls


def broken_tls_context(server_tls_context):
    # A server stuck on TLS 1.0 cannot agree on a protocol with our TLS 1.2+ client.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # deprecated is the point here
        server_tls_context.minimum_version = ssl.TLSVersion.TLSv1
        server_tls_context.maximum_version = ssl.TLSVersion.TLSv1
    return server_tls_context


def test_may_retries_in_plaintext_after_a_failed_handshake(sink, publish_mx, server_tls_context):
    remote = sink(starttls=True, tls_context=broken_tls_context(server_tls_context))
    assert send(publish_mx).delivered
    assert not remote.messages[0].tls


def test_encrypt_defers_after_a_failed_handshake(sink, publish_mx, server_tls_context, settings):
    settings.HOPTHU_OUTBOUND_TLS = "encrypt"
    remote = sink(starttls=True, tls_context=broken_tls_context(server_tls_context))
    result = send(publish_mx)
    assert (result.temporary, result.enhanced) == (True, "4.7.5")
    assert remote.messages == []
