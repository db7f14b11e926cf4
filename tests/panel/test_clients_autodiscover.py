"""Outlook's POX autodiscover: a request as Outlook sends it, the response as Outlook reads it."""
from xml.etree import ElementTree as ET

import pytest
from django.test import Client

from mailcore.directory.services import create_domain_alias, update_domain

URL = "/autodiscover/autodiscover.xml"
REQUEST_NS = "http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006"
RESPONSE_NS = "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"
OUTLOOK = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"
A = f"{{{OUTLOOK}}}"
R = f"{{{RESPONSE_NS}}}"


def outlook_request(address: str, schema: str = OUTLOOK) -> bytes:
    # What Outlook 2016 POSTs, byte for byte in form (it escapes the address as XML text).
    return (
        '<?xml version="1.0" encoding="utf-8"?>\r\n'
        f'<Autodiscover xmlns="{REQUEST_NS}">\r\n'
        "  <Request>\r\n"
        f"    <EMailAddress>{address}</EMailAddress>\r\n"
        f"    <AcceptableResponseSchema>{schema}</AcceptableResponseSchema>\r\n"
        "  </Request>\r\n"
        "</Autodiscover>\r\n"
    ).encode()


def post(client, body: bytes):
    response = client.post(URL, body, content_type="text/xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def protocols(root) -> dict:
    account = root.find(f"{A}Response/{A}Account") if root.find(f"{A}Response") is not None else None
    assert account is not None, ET.tostring(root)
    assert account.findtext(f"{A}AccountType") == "email"
    assert account.findtext(f"{A}Action") == "settings"
    return {p.findtext(f"{A}Type"): {child.tag[len(A):]: child.text for child in p}
            for p in account.findall(f"{A}Protocol")}


def error_code(root) -> str:
    assert root.tag == f"{R}Autodiscover"
    error = root.find(f"{R}Response/{R}Error")
    assert error is not None and error.get("Time") and error.get("Id")
    assert error.findtext(f"{R}Message")
    return error.findtext(f"{R}ErrorCode")


@pytest.fixture
def ports(settings):
    settings.HOPTHU_HOSTNAME = "mail.example.net"
    settings.HOPTHU_PORTS = {**settings.HOPTHU_PORTS, "imaps": 993, "submissions": 465}


def test_outlooks_request_gets_imap_and_smtp_settings(client, alice, ports):
    found = protocols(post(client, outlook_request("alice@example.test")))

    assert set(found) == {"IMAP", "SMTP"}
    assert found["IMAP"] == {"Type": "IMAP", "Server": "mail.example.net", "Port": "993", "DomainRequired": "off",
                             "LoginName": "alice@example.test", "SPA": "off", "SSL": "on", "Encryption": "SSL",
                             "AuthRequired": "on"}
    assert (found["SMTP"]["Server"], found["SMTP"]["Port"], found["SMTP"]["Encryption"]) == (
        "mail.example.net", "465", "SSL")


def test_the_login_name_is_the_canonical_address(client, alice):
    found = protocols(post(client, outlook_request("  Alice@EXAMPLE.test ")))

    assert found["IMAP"]["LoginName"] == found["SMTP"]["LoginName"] == "alice@example.test"


def test_an_address_at_a_domain_alias_is_answered(client, alice):
    create_domain_alias("example.info", "example.test")

    found = protocols(post(client, outlook_request("alice@example.info")))

    assert found["IMAP"]["LoginName"] == "alice@example.info"


def test_an_unknown_domain_gets_error_500(client, domain):
    assert error_code(post(client, outlook_request("x@elsewhere.test"))) == "500"


def test_a_disabled_domain_gets_error_500(client, alice):
    update_domain("example.test", active=False)

    assert error_code(post(client, outlook_request("alice@example.test"))) == "500"


def test_the_activesync_schema_gets_error_601(client, alice):
    schema = "http://schemas.microsoft.com/exchange/autodiscover/mobilesync/responseschema/2006"

    assert error_code(post(client, outlook_request("alice@example.test", schema))) == "601"


@pytest.mark.parametrize("body", [b"", b"not xml", b"<Autodiscover/>", outlook_request(""),
                                  outlook_request("not an address"), b"<a>" + b"x" * 20_000 + b"</a>"])
def test_a_malformed_request_gets_error_600(client, domain, body):
    assert error_code(post(client, body)) == "600"


def test_an_xxe_request_is_refused_and_reads_nothing(client, domain, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("alice@example.test")
    doctype = f'<!DOCTYPE Autodiscover [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
    body = outlook_request("&xxe;").replace(b"<Autodiscover", doctype.encode() + b"<Autodiscover", 1)

    root = post(client, body)

    assert error_code(root) == "600"
    assert b"alice" not in ET.tostring(root)


def test_billion_laughs_is_refused(client, domain):
    entities = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    body = outlook_request("&l9;@example.test").replace(
        b"<Autodiscover", f'<!DOCTYPE Autodiscover [<!ENTITY l0 "lol">{entities}]>\n<Autodiscover'.encode(), 1)

    assert error_code(post(client, body)) == "600"


def test_xml_metacharacters_in_the_address_cannot_inject(client, domain):
    root = post(client, outlook_request("a&lt;/LoginName&gt;&lt;x&gt;@example.test"))

    assert error_code(root) == "600"


def test_clients_post_without_a_csrf_token(alice):
    client = Client(enforce_csrf_checks=True)

    protocols(post(client, outlook_request("alice@example.test")))


def test_get_with_an_address_is_answered_too(client, alice):
    found = protocols(ET.fromstring(client.get(URL, {"email": "alice@example.test"}).content))

    assert found["IMAP"]["LoginName"] == "alice@example.test"


def test_the_capitalised_path_outlook_also_uses_works(client, alice):
    response = client.post("/Autodiscover/Autodiscover.xml", outlook_request("alice@example.test"),
                           content_type="text/xml")

    protocols(ET.fromstring(response.content))


def test_other_methods_are_refused(client, domain):
    assert client.put(URL, outlook_request("alice@example.test")).status_code == 405


def test_get_without_an_address_gets_error_600(client, domain):
    assert error_code(ET.fromstring(client.get(URL).content)) == "600"
