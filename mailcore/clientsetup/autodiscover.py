"""Outlook's autodiscover, the plain-old-XML (POX) flavour, for IMAP and SMTP accounts.

Outlook POSTs a request naming EMailAddress and AcceptableResponseSchema to
/autodiscover/autodiscover.xml ([MS-OXDSCLI] §2.2.3); we answer with an Account of
AccountType "email" and Action "settings" holding one Protocol per type ([MS-OXDSCLI]
§2.2.4.1.1.2; Outlook takes the first Protocol of each type), or an Error with the codes of
§2.2.4.1.1.3.4: 500 unknown address, 600 invalid request, 601 unsupported response schema.
The request is parsed by safexml (no DTDs, no entities); the response is built with
ElementTree, so nothing the client sent can inject markup.
"""
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from mailcore.directory.addresses import Address

from . import mail_host, preferred, safexml

RESPONSE_NS = "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"
OUTLOOK_SCHEMA = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"
MAX_REQUEST_BYTES = 16 * 1024  # a real request is a few hundred bytes

NOT_FOUND = 500
INVALID_REQUEST = 600
UNSUPPORTED_SCHEMA = 601
MESSAGES = {
    NOT_FOUND: "The e-mail address cannot be found.",
    INVALID_REQUEST: "Invalid Request",
    UNSUPPORTED_SCHEMA: "The requested response schema is not available.",
}


class InvalidRequest(ValueError):
    pass


@dataclass(frozen=True)
class Request:
    email: str
    schema: str


def parse_request(body: bytes) -> Request:
    """Read EMailAddress and AcceptableResponseSchema from <Autodiscover><Request>.

    The namespace is whatever the root uses (Outlook's requestschema/2006, ActiveSync's
    mobilesync one): an unsupported schema is answered with 601, not refused as malformed.
    """
    try:
        root = safexml.parse(body, MAX_REQUEST_BYTES)
    except safexml.UnsafeXML as exc:
        raise InvalidRequest(str(exc)) from None
    namespace, _sep, local = root.tag[1:].rpartition("}") if root.tag.startswith("{") else ("", "", root.tag)
    qualify = (lambda name: f"{{{namespace}}}{name}") if namespace else (lambda name: name)
    request = root.find(qualify("Request"))
    if local != "Autodiscover" or request is None:
        raise InvalidRequest("not an autodiscover request")
    email = (request.findtext(qualify("EMailAddress")) or "").strip()
    schema = (request.findtext(qualify("AcceptableResponseSchema")) or OUTLOOK_SCHEMA).strip()
    if not email:
        raise InvalidRequest("no EMailAddress")
    return Request(email, schema)


def _protocol(account: ET.Element, kind: str, server, login: str) -> None:
    protocol = ET.SubElement(account, "Protocol")
    for name, value in (
        ("Type", kind),
        ("Server", server.host),
        ("Port", str(server.port)),
        ("DomainRequired", "off"),
        ("LoginName", login),
        ("SPA", "off"),  # Secure Password Authentication is NTLM: we take AUTH PLAIN over TLS
        ("SSL", "on"),  # every port we advertise is encrypted
        # Encryption overrides SSL in Outlook 2010+: "SSL" is implicit TLS, "TLS" STARTTLS.
        ("Encryption", "SSL" if server.implicit_tls else "TLS"),
        ("AuthRequired", "on"),
    ):
        ET.SubElement(protocol, name).text = value


def settings_response(address: Address) -> bytes:
    root = ET.Element("Autodiscover", xmlns=RESPONSE_NS)
    response = ET.SubElement(root, "Response", xmlns=OUTLOOK_SCHEMA)
    account = ET.SubElement(response, "Account")
    ET.SubElement(account, "AccountType").text = "email"
    ET.SubElement(account, "Action").text = "settings"
    _protocol(account, "IMAP", preferred("imap"), str(address))
    _protocol(account, "SMTP", preferred("smtp"), str(address))
    return _serialize(root)


def error_response(code: int) -> bytes:
    root = ET.Element("Autodiscover", xmlns=RESPONSE_NS)
    response = ET.SubElement(root, "Response")
    # Time and Id as Exchange writes them: time of day, and a number naming the server.
    error = ET.SubElement(response, "Error", Time=datetime.now(UTC).strftime("%H:%M:%S.%f"),
                          Id=str(zlib.crc32(mail_host().encode())))
    ET.SubElement(error, "ErrorCode").text = str(code)
    ET.SubElement(error, "Message").text = MESSAGES[code]
    ET.SubElement(error, "DebugData")
    return _serialize(root)


def _serialize(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
