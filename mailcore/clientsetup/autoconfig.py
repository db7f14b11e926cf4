"""Thunderbird's autoconfig file (clientConfig 1.1).

Format: https://wiki.mozilla.org/Thunderbird:Autoconfiguration:ConfigFileFormat. Thunderbird
(comm-central mail/components/accountcreation, readFromXML) takes emailProvider@id, every
<domain>, each incomingServer (type imap|pop3) and outgoingServer (type smtp) with hostname,
port, socketType, authentication and username, the first valid one of each being the default.
Built with ElementTree so no value can break out of its element.
"""
from xml.etree import ElementTree as ET

from mailcore.directory.models import Domain

from . import domain_names, servers

# Thunderbird replaces %EMAILADDRESS% with the address the user typed: the login name is the
# full address (at a domain alias too: mailcore.auth.credentials.login_name).
USERNAME = "%EMAILADDRESS%"
AUTHENTICATION = "password-cleartext"  # AUTH PLAIN/LOGIN, only ever inside TLS


def autoconfig_xml(domain: Domain) -> bytes:
    root = ET.Element("clientConfig", version="1.1")
    provider = ET.SubElement(root, "emailProvider", id=domain.name)
    for name in domain_names(domain):
        ET.SubElement(provider, "domain").text = name
    ET.SubElement(provider, "displayName").text = domain.unicode_name
    ET.SubElement(provider, "displayShortName").text = domain.unicode_name
    for server in servers():
        tag = "outgoingServer" if server.protocol == "smtp" else "incomingServer"
        element = ET.SubElement(provider, tag, type=server.protocol)
        for name, value in (
            ("hostname", server.host),
            ("port", str(server.port)),
            ("socketType", server.security),
            ("authentication", AUTHENTICATION),
            ("username", USERNAME),
        ):
            ET.SubElement(element, name).text = value
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
