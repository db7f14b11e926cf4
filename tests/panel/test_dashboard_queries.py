"""The dashboard's queries do not grow with the installation: the same number for 2 domains
as for 12, with accounts, aliases, queued mail, daily counts, DNS checks and nodes in each
(no query per domain, per account or per node)."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mailcore.directory.models import DomainAdmin
from mailcore.directory.services import create_account, create_alias, create_domain
from mailcore.dnsguide.models import DnsCheck
from mailcore.service.models import Heartbeat
from mailcore.stats.counts import count
from tests.conftest import PASSWORD
from tests.panel.activity_rows import queued

URL = reverse("panel:home")


def grow(first: int, last: int, admin=None):
    """Domains d<first>.test … d<last - 1>.test, each with two accounts, an alias, a
    queued message, today's counts, a failing DNS check and a node's heartbeat."""
    for number in range(first, last):
        domain = create_domain(f"d{number}.test")
        for user in ("a", "b"):
            create_account(f"{user}@d{number}.test", PASSWORD)
        create_alias(f"sales@d{number}.test", [f"a@d{number}.test"])
        queued(f"a@d{number}.test", message_id=f"{number}@example.net")
        count(domain.name, "received", number)
        if number % 2:
            DnsCheck.objects.create(domain=domain, checked=timezone.now(), problems=[
                {"key": "mx", "status": "missing", "rtype": "MX", "name": domain.name}])
        now = timezone.now()
        Heartbeat.objects.create(node=f"node{number}:1", hostname=f"node{number}", pid=1, started=now,
                                 last_seen=now, listeners=[])
        if admin is not None:
            DomainAdmin.objects.create(user=admin, domain=domain)


def queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("role", ["super_client", "owner_client"])
def test_the_query_count_stays_the_same_as_the_installation_grows(request, role, domain_admin):
    client = request.getfixturevalue(role)
    admin = domain_admin if role == "owner_client" else None
    grow(0, 2, admin)
    client.get(URL)  # sessions and caches settle
    small = queries(client)
    grow(2, 12, admin)
    assert queries(client) == small
    directory = client.get(URL).context["directory"]
    assert directory.accounts == 24 and directory.aliases == 12
