"""Debian's rspamd, for real on loopback, scores mail through /checkv2 with the SMTP envelope,
and its symbols become the findings HopThu records."""
import pytest

from mailcore.filters import rspamd as engine
from tests.support.services_filters import rspamd  # noqa: F401

pytestmark = pytest.mark.slow

# The Generic Test for Unsolicited Bulk Email string, which rspamd rejects on sight.
GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X"


@pytest.fixture(autouse=True)
def _use_rspamd(settings, rspamd):  # noqa: F811
    settings.HOPTHU_RSPAMD_URL = rspamd.url


def message(body: str, subject="Lunch tomorrow?") -> bytes:
    return (
        "From: Bob Example <bob@example.org>\r\n"
        "To: Alice Example <alice@example.test>\r\n"
        f"Subject: {subject}\r\n"
        "Date: Sun, 29 Nov 2026 10:00:00 +0000\r\n"
        "Message-ID: <lunch.1@example.org>\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "\r\n"
        f"{body}\r\n"
    ).encode()


def check(raw: bytes, **envelope):
    envelope = {"mail_from": "bob@example.org", "recipients": ["alice@example.test"],
                "client_ip": "192.0.2.25", "helo": "mx.example.org"} | envelope
    return engine.check(raw, **envelope)


def test_a_clean_message_scores_low():
    result = check(message("Hi Alice, shall we have lunch tomorrow at noon? Bob"))

    assert result.engine == "rspamd"
    assert result.score < 2
    assert all(finding.score for finding in result.findings)  # informational symbols left out


def test_gtube_scores_at_rejection_level_and_names_the_rule():
    result = check(message(GTUBE, subject="Test spam"))

    assert result.score >= 15
    assert "GTUBE" in [finding.rule for finding in result.findings]


def test_symbols_become_findings_with_their_scores_and_descriptions():
    # No Date, no Message-ID, an all-caps subject: rspamd's header rules score them.
    raw = (b"From: winner@example.org\r\nTo: alice@example.test\r\nSubject: YOU HAVE WON A PRIZE\r\n\r\n"
           b"Claim your prize now.\r\n")

    result = check(raw)

    rules = {finding.rule: finding for finding in result.findings}
    assert "MISSING_DATE" in rules
    assert "MISSING_MID" in rules
    assert rules["MISSING_DATE"].score > 0
    assert "date" in rules["MISSING_DATE"].detail.lower()
    assert result.score == pytest.approx(sum(finding.score for finding in result.findings), abs=0.01)


def test_the_envelope_sender_reaches_rspamd():
    # rspamd compares the envelope sender (our From request header) with the From: field.
    raw = message("Hi Alice, shall we have lunch tomorrow at noon? Bob")

    assert "FORGED_SENDER" not in rules_of(check(raw, mail_from="bob@example.org"))
    assert "FORGED_SENDER" in rules_of(check(raw, mail_from="someone@example.net"))


def test_a_bounce_with_the_null_sender_and_several_recipients_is_checked():
    raw = message("Hi Alice, shall we have lunch tomorrow at noon? Bob")

    result = check(raw, mail_from="", recipients=["alice@example.test", "carol@example.test"])

    assert result.score < 2


def rules_of(result) -> set[str]:
    return {finding.rule for finding in result.findings}
