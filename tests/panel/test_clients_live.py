"""Autoconfig and autodiscover over real HTTP with curl, as a client on the network sees them."""
import shutil
import subprocess
from xml.etree import ElementTree as ET

import pytest

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(shutil.which("curl") is None, reason="needs curl")]

OUTLOOK_REQUEST = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">'
    "<Request><EMailAddress>alice@example.test</EMailAddress>"
    "<AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"
    "</AcceptableResponseSchema></Request></Autodiscover>"
)


def curl(*args) -> tuple[str, bytes]:
    result = subprocess.run(["curl", "-sS", "-w", "\n%{http_code}", *args], capture_output=True, check=True,
                            timeout=30)
    body, _sep, status = result.stdout.rpartition(b"\n")
    return status.decode(), body


def test_thunderbirds_autoconfig_host_is_answered(live_server, alice, settings):
    settings.ALLOWED_HOSTS = ["*"]

    status, body = curl("-H", "Host: autoconfig.example.test", f"{live_server.url}/mail/config-v1.1.xml")

    assert status == "200"
    assert ET.fromstring(body).find("emailProvider").get("id") == "example.test"


def test_outlooks_post_is_answered_with_settings(live_server, alice):
    status, body = curl("-X", "POST", "-H", "Content-Type: text/xml; charset=utf-8",
                        "--data-binary", OUTLOOK_REQUEST, f"{live_server.url}/autodiscover/autodiscover.xml")

    assert status == "200"
    ns = "{http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a}"
    logins = [e.text for e in ET.fromstring(body).iter(f"{ns}LoginName")]
    assert logins == ["alice@example.test", "alice@example.test"]
