"""The autoconfig file, read the way Thunderbird reads it.

thunderbird_read() follows comm-central's readFromXML
(mail/components/accountcreation/modules/readFromXML.sys.mjs):
emailProvider@id and every <domain> must be host names, each incomingServer needs type
imap|pop3, hostname, port 1..65535, username, a socketType of plain|SSL|STARTTLS and a
known authentication; each outgoingServer needs type smtp and the same. Anything it would
throw on fails the test here.
"""
import re
from xml.etree import ElementTree as ET

import pytest

from mailcore.clientsetup.autoconfig import autoconfig_xml
from mailcore.directory.services import create_domain, create_domain_alias

HOSTNAME_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$")
SOCKET_TYPES = {"plain", "SSL", "STARTTLS"}
AUTH = {"password-cleartext", "plain", "password-encrypted", "secure", "GSSAPI", "NTLM", "OAuth2"}


def _hostname(value):
    assert value is not None and HOSTNAME_RE.match(value.lower()), value
    return value.lower()


def _server(element, types):
    assert element.get("type") in types
    port = int(element.findtext("port"))
    assert 1 <= port <= 65535
    socket = next(s.text for s in element.findall("socketType") if s.text in SOCKET_TYPES)
    auth = next(a.text for a in element.findall("authentication") if a.text in AUTH)
    assert element.findtext("username")  # Sanitizer.string throws on a missing one
    return {"type": element.get("type"), "hostname": _hostname(element.findtext("hostname")), "port": port,
            "socketType": socket, "auth": auth, "username": element.findtext("username")}


def thunderbird_read(data: bytes) -> dict:
    root = ET.fromstring(data)
    assert root.tag == "clientConfig"
    provider = root.find("emailProvider")
    assert provider is not None
    config = {
        "id": _hostname(provider.get("id")),
        "domains": [_hostname(d.text) for d in provider.findall("domain")],
        "displayName": provider.findtext("displayName"),
        "incoming": [_server(s, {"imap", "pop3"}) for s in provider.findall("incomingServer")],
        "outgoing": [_server(s, {"smtp"}) for s in provider.findall("outgoingServer")],
    }
    assert config["domains"] and config["incoming"] and config["outgoing"]
    return config


@pytest.fixture
def production_ports(settings):
    settings.HOPTHU_HOSTNAME = "mail.example.net"
    settings.HOPTHU_PORTS = {**settings.HOPTHU_PORTS, "imaps": 993, "imap": 143, "pop3s": 995, "pop3": 110,
                             "submissions": 465, "submission": 587}


def test_thunderbird_reads_imap_first_with_implicit_tls(domain, production_ports):
    config = thunderbird_read(autoconfig_xml(domain))

    assert config["id"] == "example.test"
    assert config["domains"] == ["example.test"]
    first = config["incoming"][0]
    assert (first["type"], first["hostname"], first["port"], first["socketType"]) == (
        "imap", "mail.example.net", 993, "SSL")
    assert first["username"] == "%EMAILADDRESS%"
    assert first["auth"] == "password-cleartext"


def test_every_listener_is_offered_with_its_tls_mode(domain, production_ports):
    config = thunderbird_read(autoconfig_xml(domain))

    incoming = [(s["type"], s["port"], s["socketType"]) for s in config["incoming"]]
    outgoing = [(s["type"], s["port"], s["socketType"], s["username"]) for s in config["outgoing"]]
    assert incoming == [("imap", 993, "SSL"), ("imap", 143, "STARTTLS"), ("pop3", 995, "SSL"),
                        ("pop3", 110, "STARTTLS")]
    assert outgoing == [("smtp", 465, "SSL", "%EMAILADDRESS%"), ("smtp", 587, "STARTTLS", "%EMAILADDRESS%")]


def test_no_server_is_offered_without_encryption(domain):
    config = thunderbird_read(autoconfig_xml(domain))

    assert all(s["socketType"] != "plain" for s in config["incoming"] + config["outgoing"])


def test_development_ports_are_advertised_in_development(domain, settings):
    settings.HOPTHU_PORTS = {**settings.HOPTHU_PORTS, "imaps": 2993, "submissions": 2465}

    config = thunderbird_read(autoconfig_xml(domain))

    assert config["incoming"][0]["port"] == 2993
    assert config["outgoing"][0]["port"] == 2465


def test_a_client_hostname_setting_overrides_the_mail_host(domain, settings):
    settings.HOPTHU_CLIENT_HOSTNAME = "imap.example.net"

    config = thunderbird_read(autoconfig_xml(domain))

    assert {s["hostname"] for s in config["incoming"] + config["outgoing"]} == {"imap.example.net"}


def test_active_domain_aliases_are_listed_and_disabled_ones_are_not(domain):
    create_domain_alias("example.info", "example.test")
    alias = create_domain_alias("example.biz", "example.test")
    alias.active = False
    alias.save()

    config = thunderbird_read(autoconfig_xml(domain))

    assert config["domains"] == ["example.test", "example.info"]


def test_an_idn_domain_is_written_as_its_a_label(db):
    domain = create_domain("hộpthư.vn")

    config = thunderbird_read(autoconfig_xml(domain))

    assert config["id"] == "xn--hpth-tib0095b.vn" == domain.name
    assert config["displayName"] == "hộpthư.vn"
