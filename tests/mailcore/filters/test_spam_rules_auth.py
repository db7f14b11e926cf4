"""SPF, DKIM and DMARC points come from our own Authentication-Results field, never a forged one."""
import pytest

from mailcore.filters.spam_rules import read_auth_results, rule_findings
from mailcore.mime.structure import parse_message

pytestmark = pytest.mark.django_db

BODY = (
    b"From: Bob <bob@example.net>\r\nTo: alice@example.test\r\nSubject: Lunch\r\n"
    b"Date: Sun, 29 Nov 2026 10:00:00 +0000\r\nMessage-ID: <1@example.net>\r\n\r\nNoon?\r\n"
)


def ours(clauses: str) -> bytes:
    return f"Authentication-Results: mx.example.test;\r\n\t{clauses}\r\n".encode()


def rules(raw):
    return {finding.rule for finding in rule_findings(raw)}


def test_failing_spf_dkim_and_dmarc_fire():
    raw = ours("spf=fail smtp.mailfrom=bob@example.net;\r\n\tdkim=fail header.d=example.net;\r\n\t"
               "dmarc=fail (p=reject) header.from=example.net") + BODY
    assert rules(raw) == {"SPF_FAIL", "DKIM_INVALID", "DMARC_FAIL"}


def test_passing_checks_take_points_off():
    raw = ours("spf=pass smtp.mailfrom=bob@example.net; dkim=pass header.d=example.net; "
               "dmarc=pass header.from=example.net") + BODY
    findings = rule_findings(raw)
    assert {f.rule for f in findings} == {"SPF_PASS", "DKIM_VALID", "DMARC_PASS"}
    assert all(f.score < 0 for f in findings)


def test_softfail_fires_its_own_rule():
    assert rules(ours("spf=softfail smtp.mailfrom=bob@example.net") + BODY) == {"SPF_SOFTFAIL"}


def test_none_results_fire_nothing():
    assert rules(ours("spf=none smtp.mailfrom=bob@example.net; dkim=none; dmarc=none") + BODY) == set()


def test_a_field_of_another_authserv_id_is_ignored():
    other = b"Authentication-Results: mx.elsewhere.example; spf=pass; dkim=pass header.d=example.net\r\n"
    assert rules(other + BODY) == set()


def test_only_the_topmost_field_of_ours_counts():
    # Ours is prepended by the MX; anything below it came with the message.
    raw = ours("spf=fail smtp.mailfrom=bob@example.net") + ours("spf=pass smtp.mailfrom=bob@example.net") + BODY
    assert rules(raw) == {"SPF_FAIL"}


def test_comments_do_not_confuse_the_reading():
    raw = ours("spf=pass (sender is allowed; dkim=fail looks like a clause) smtp.mailfrom=bob@example.net")
    seen = read_auth_results(parse_message(raw + BODY)[1], "mx.example.test")
    assert seen.spf == "pass" and seen.spf_domain == "example.net" and seen.dkim == []
