"""The built-in scorer's header rules: each fires on its sign and stays quiet without it."""
import pytest

from mailcore.filters.spam_rules import RULES, rule_findings, score

pytestmark = pytest.mark.django_db

GOOD = (
    b"From: Bob <bob@example.net>\r\nTo: alice@example.test\r\nSubject: Lunch\r\n"
    b"Date: Sun, 29 Nov 2026 10:00:00 +0000\r\nMessage-ID: <1@example.net>\r\n\r\nNoon?\r\n"
)


def rules(raw, **kwargs):
    return {finding.rule for finding in rule_findings(raw, **kwargs)}


def without(field: bytes, raw=GOOD) -> bytes:
    return b"".join(line for line in raw.splitlines(keepends=True)
                    if not line.lower().startswith(field.lower() + b":"))


def test_a_well_formed_message_from_outside_fires_nothing(domain):
    assert rules(GOOD) == set()


def test_a_missing_date_fires(domain):
    assert rules(without(b"Date")) == {"MISSING_DATE"}


def test_a_missing_message_id_fires(domain):
    assert rules(without(b"Message-ID")) == {"MISSING_MESSAGE_ID"}


@pytest.mark.parametrize("from_field", [
    b"", b"From: not an address\r\n", b"From: a@example.net, b@example.net\r\n",
    b"From: <bob@>\r\n", b"From: x@example.net\r\nFrom: y@example.net\r\n",
])
def test_a_malformed_from_fires(domain, from_field):
    assert "FROM_MALFORMED" in rules(from_field + without(b"From"))


def test_a_hosted_domain_in_from_arriving_from_outside_is_forgery(domain):
    forged = GOOD.replace(b"bob@example.net", b"ceo@example.test")
    assert rules(forged) == {"FORGED_HOSTED_FROM"}


def test_a_hosted_from_with_passing_dkim_of_its_domain_is_not_forgery(domain):
    signed = b"Authentication-Results: mx.example.test;\r\n\tdkim=pass header.d=example.test header.s=s1\r\n"
    assert "FORGED_HOSTED_FROM" not in rules(signed + GOOD.replace(b"bob@example.net", b"ceo@example.test"))


def test_a_hosted_from_with_spf_passing_for_its_domain_is_not_forgery(domain):
    passed = b"Authentication-Results: mx.example.test; spf=pass smtp.mailfrom=ceo@example.test\r\n"
    assert "FORGED_HOSTED_FROM" not in rules(passed + GOOD.replace(b"bob@example.net", b"ceo@example.test"))


def test_a_helo_claiming_our_host_name_or_a_hosted_domain_fires(domain):
    assert rules(GOOD, helo="mx.example.test") == {"HELO_CLAIMS_US"}
    assert rules(GOOD, helo="EXAMPLE.TEST") == {"HELO_CLAIMS_US"}
    assert rules(GOOD, helo="mail.example.net") == set()


def test_a_helo_with_our_public_address_fires(domain, settings):
    settings.HOPTHU_PUBLIC_IPV4 = "203.0.113.5"
    assert rules(GOOD, helo="[203.0.113.5]") == {"HELO_CLAIMS_US"}


def test_too_many_received_fields_fire(domain):
    hop = b"Received: from a.example by b.example; Sun, 29 Nov 2026 10:00:00 +0000\r\n"
    assert rules(hop * 16 + GOOD) == {"RECEIVED_TOO_MANY"}
    assert rules(hop * 5 + GOOD) == set()


def test_the_score_is_the_sum_of_the_findings(domain):
    result = score(without(b"Message-ID", without(b"Date")), helo="mx.example.test")
    expected = RULES["MISSING_DATE"][0] + RULES["MISSING_MESSAGE_ID"][0] + RULES["HELO_CLAIMS_US"][0]
    assert result.score == pytest.approx(expected)
    assert result.engine == "builtin"
    assert {finding.rule for finding in result.findings} == {"MISSING_DATE", "MISSING_MESSAGE_ID", "HELO_CLAIMS_US"}
