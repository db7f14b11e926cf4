"""Issue 16 (low): /healthz tells the public only up or down; the nodes' hosts, process
ids and ports only to a signed-in superadmin or a local probe."""
import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from mailcore.service.models import Heartbeat
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

OUTSIDE = {"REMOTE_ADDR": "203.0.113.7"}


@pytest.fixture
def node(db):
    now = timezone.now()
    return Heartbeat.objects.create(node="mx1.internal:4242", hostname="mx1.internal", pid=4242, started=now,
                                    last_seen=now,
                                    listeners=[{"name": "imap", "port": 143}])


def test_the_public_learns_up_or_down_only(client, node):
    body = client.get("/healthz", **OUTSIDE).json()
    assert body == {"web": "ok", "mailcore": "ok"}
    assert "mx1.internal" not in client.get("/healthz", **OUTSIDE).content.decode()


def test_the_public_learns_when_the_mail_core_is_down(client, node):
    Heartbeat.objects.update(last_seen=timezone.now() - dt.timedelta(hours=1))
    assert client.get("/healthz", **OUTSIDE).json()["mailcore"] == "down"


def test_a_local_probe_sees_the_nodes(client, node):
    nodes = client.get("/healthz", REMOTE_ADDR="127.0.0.1").json()["mailcore"]
    assert nodes[0]["node"] == "mx1.internal:4242" and nodes[0]["listeners"][0]["port"] == 143


def test_a_request_relayed_by_a_local_proxy_is_public(client, node):
    body = client.get("/healthz", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7").json()
    assert body["mailcore"] == "ok"


def test_a_superadmin_sees_the_nodes_from_anywhere(client, node):
    root = get_user_model().objects.create_superuser("root", email="", password=PASSWORD)
    client.force_login(root)
    assert client.get("/healthz", **OUTSIDE).json()["mailcore"][0]["node"] == "mx1.internal:4242"


def test_a_mail_user_is_the_public(client, node, alice):
    client.force_login(alice.user)
    assert client.get("/healthz", **OUTSIDE).json()["mailcore"] == "ok"
