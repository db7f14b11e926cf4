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
