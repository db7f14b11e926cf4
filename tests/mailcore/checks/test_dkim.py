"""DKIM (RFC 6376) verification of every signature, with keys published in the stub DNS."""
import re

from mailcore.smtp.checks.dkim_verify import MAX_SIGNATURES, verify_dkim
from tests.mailcore.checks.messages import make_message


def test_a_good_signature_passes_with_its_domain_and_selector(sign):
    (result,) = verify_dkim(sign(make_message(), "example.net", selector="s2025"))
    assert (result.result, result.domain, result.selector) == ("pass", "example.net", "s2025")
    assert len(result.signature) == 8


def test_an_unsigned_message_has_no_results(dns_server):
    assert verify_dkim(make_message()) == ()


def test_a_changed_body_fails(sign):
    signed = sign(make_message(), "example.net")
    (result,) = verify_dkim(signed.replace(b"see you at ten", b"see you at six"))
    assert result.result == "fail"
    assert "body hash" in result.reason


def test_a_changed_signed_header_fails(sign):
    signed = sign(make_message(), "example.net")
    (result,) = verify_dkim(signed.replace(b"Subject: Meeting", b"Subject: Invoice"))
    assert result.result == "fail"


def test_a_missing_key_is_a_permanent_error(sign):
    (result,) = verify_dkim(sign(make_message(), "example.net", publish=False))
    assert (result.result, result.reason) == ("permerror", "no key for signature")


def test_a_revoked_key_is_a_permanent_error(sign, dns_server):
    dns_server.add_txt("sel._domainkey.example.net", "v=DKIM1; k=rsa; p=")  # RFC 6376 §3.6.1: revoked
    (result,) = verify_dkim(sign(make_message(), "example.net", publish=False))
    assert result.result == "permerror"


def test_a_servfail_on_the_key_is_a_temporary_error(sign, dns_server):
    dns_server.fail("sel._domainkey.example.net")
    (result,) = verify_dkim(sign(make_message(), "example.net", publish=False))
    assert result.result == "temperror"


def test_every_signature_is_reported_topmost_first(sign):
    signed = sign(sign(make_message(), "example.net"), "esp.example", selector="k1")
    results = verify_dkim(signed.replace(b"see you", b"meet you"))
    assert [(r.domain, r.result) for r in results] == [("esp.example", "fail"), ("example.net", "fail")]
    results = verify_dkim(signed)
    assert [(r.domain, r.selector, r.result) for r in results] == [
        ("esp.example", "k1", "pass"), ("example.net", "sel", "pass")
    ]


def test_at_most_five_signatures_are_verified(sign, dns_server):
    signed = make_message()
    for index in range(MAX_SIGNATURES + 2):
        signed = sign(signed, f"d{index}.example")
    assert len(verify_dkim(signed)) == MAX_SIGNATURES
    assert ("sel._domainkey.d0.example", "TXT") not in dns_server.queries  # the bottom two were not tried


def test_a_message_with_bare_lf_line_ends_still_verifies(sign):
    signed = sign(make_message(), "example.net")
    (result,) = verify_dkim(signed.replace(b"\r\n", b"\n"))
    assert result.result == "pass"


def test_a_signature_that_does_not_sign_from_is_a_permanent_error(sign):
    signed = sign(make_message(), "example.net")
    # RFC 6376 §6.1.1: h= without From must not count, whatever the signature says.
    unsigned_from = re.sub(rb"h=from : ", b"h=", signed, count=1)
    (result,) = verify_dkim(unsigned_from)
    assert (result.result, result.reason) == ("permerror", "From field not signed")
