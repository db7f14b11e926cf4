"""The panel's Outbound TLS page (issue 21: "the MTA-STS, TLS-RPT and DMARC report pages
show data from tests"): real deliveries under an MTA-STS policy, over the outbound test
path (stub DNS, local HTTPS policy host, MX sinks), then the page a superadmin reads."""
import pytest
from django.urls import reverse

from mailcore.delivery.models import MtaStsPolicy
from mailcore.delivery.outbound import deliver
from tests.mailcore.outbound.conftest import (  # noqa: F401 (fixtures)
    dns_server,
    outbound_settings,
    publish_mx,
    server_tls_context,
    shared_dns_server,
    sink,
)
from tests.mailcore.outbound.messages import message
from tests.mailcore.outbound.test_mta_sts import policy_host, publish_policy_id, trusted, untrusted  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_page_shows_the_policies_obeyed_and_how_sessions_went(client, superadmin, sink, publish_mx,  # noqa: F811
                                                                  policy_host, dns_server, trusted, settings):  # noqa: F811
    settings.HOPTHU_TLSRPT = True
    sink(tls_context=trusted)
    publish_mx("example.net", (10, "mx1.example.net", "127.0.0.1"))
    publish_policy_id(dns_server)
    assert deliver("example.net", "alice@example.test", ["bob@example.net"], message())["bob@example.net"].delivered
    assert MtaStsPolicy.objects.get().mode == "enforce"
    client.force_login(superadmin)
    page = client.get(reverse("panel:outbound_tls")).content.decode()
    assert "example.net" in page and "mx1.example.net" in page and "enforce" in page
    assert "(MTA-STS)" in page  # the session ran under the policy and was counted


def test_only_superadmins_see_it(client, owner_client):
    assert owner_client.get(reverse("panel:outbound_tls")).status_code == 403
