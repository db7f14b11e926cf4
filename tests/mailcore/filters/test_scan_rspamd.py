"""The rspamd engine chosen per domain (real rspamd on loopback), and the fall back to the
built-in scorer when rspamd cannot be asked."""
import socket

import pytest

from mailcore.filters import scan
from mailcore.filters.models import FilterPolicy
from tests.support.services_filters import rspamd  # noqa: F401

from .conftest import spammy_message

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def run(recipients=("alice@example.test",)):
    return scan.scan_inbound(spammy_message(), mail_from="bob@example.net", recipients=list(recipients),
                             client_ip="192.0.2.1", helo="mail.example.net")


def test_a_domain_that_chose_rspamd_is_scored_by_rspamd(alice, settings, rspamd):  # noqa: F811
    settings.HOPTHU_RSPAMD_URL = rspamd.url
    FilterPolicy.objects.create(domain=alice.domain, engine="rspamd")
    result = run()
    assert result.spam.engine == "rspamd"
    assert b"X-Spam-Status:" in result.headers


def test_rspamd_down_falls_back_to_the_built_in_rules(alice, settings, caplog):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.HOPTHU_RSPAMD_URL = f"http://127.0.0.1:{port}"
    FilterPolicy.objects.create(domain=alice.domain, engine="rspamd")
    result = run()
    assert result.spam.engine == "builtin" and result.spam.score == 14.5
    assert "rspamd unavailable" in caplog.text


def test_mixed_engines_use_the_built_in_rules(alice, charlie, settings, rspamd):  # noqa: F811
    settings.HOPTHU_RSPAMD_URL = rspamd.url
    FilterPolicy.objects.create(domain=alice.domain, engine="rspamd")
    assert run(("alice@example.test", "charlie@example.org")).spam.engine == "builtin"


GTUBE = (b"From: bob@example.net\r\nTo: alice@example.test\r\nSubject: test\r\n"
         b"Date: Sun, 29 Nov 2026 10:00:00 +0000\r\nMessage-ID: <gtube@example.net>\r\n\r\n"
         b"XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X\r\n")


def test_rspamds_reject_verdict_refuses_even_above_the_domains_reject_score(alice, settings, rspamd):  # noqa: F811
    settings.HOPTHU_RSPAMD_URL = rspamd.url
    FilterPolicy.objects.create(domain=alice.domain, engine="rspamd", reject_score=100)
    result = scan.scan_inbound(GTUBE, mail_from="bob@example.net", recipients=["alice@example.test"],
                               client_ip="192.0.2.1", helo="mail.example.net")
    assert result.spam.action == "reject"
    assert result.action == "reject" and result.reply.startswith("554 5.7.1")


def test_a_domain_that_never_rejects_keeps_rspamds_reject_for_junk(alice, settings, rspamd):  # noqa: F811
    settings.HOPTHU_RSPAMD_URL = rspamd.url
    FilterPolicy.objects.create(domain=alice.domain, engine="rspamd", reject_score=0)
    result = scan.scan_inbound(GTUBE, mail_from="bob@example.net", recipients=["alice@example.test"],
                               client_ip="192.0.2.1", helo="mail.example.net")
    assert result.action == "accept" and b"X-Spam-Flag: YES" in result.headers
