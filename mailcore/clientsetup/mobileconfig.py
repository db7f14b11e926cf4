"""An Apple configuration profile (.mobileconfig) adding one IMAP account to Mail on iOS,
iPadOS and macOS.

Apple's Configuration Profile Reference: a top-level "Configuration" payload holding one
com.apple.mail.managed payload. No password is written: the device asks for it when the
profile is installed. PayloadIdentifier and PayloadUUID are derived from the host and the
address, so downloading the profile again replaces the installed one instead of adding a
second account.

The profile is signed (CMS SignedData, as `openssl smime -sign -outform der` makes) with the
mail host's TLS certificate when the web process can read it: with a certificate from a
public CA the device shows the profile as verified. Without one, it is served unsigned and
the device says "not verified"; the settings are the same.
"""
import logging
import plistlib
import uuid

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7
from django.conf import settings
from django.utils.translation import gettext as _

from mailcore.directory.models import Account

from . import mail_host, preferred

CONTENT_TYPE = "application/x-apple-aspen-config"
log = logging.getLogger(__name__)


def _identifier(account: Account, part: str) -> tuple[str, str]:
    """A reverse-DNS PayloadIdentifier and a PayloadUUID, both stable for this account."""
    host = mail_host()
    stable = uuid.uuid5(uuid.NAMESPACE_URL, f"hopthu:{host}:{account.address}:{part}")
    reverse_host = ".".join(reversed(host.split(".")))
    return f"{reverse_host}.hopthu.{part}.{stable}", str(stable).upper()


def mobileconfig(account: Account) -> bytes:
    imap, smtp = preferred("imap"), preferred("smtp")
    address = account.address
    mail_id, mail_uuid = _identifier(account, "mail")
    profile_id, profile_uuid = _identifier(account, "profile")
    description = account.domain.unicode_name
    mail = {
        "PayloadType": "com.apple.mail.managed",
        "PayloadVersion": 1,
        "PayloadIdentifier": mail_id,
        "PayloadUUID": mail_uuid,
        "PayloadDisplayName": account.display_address,
        "EmailAccountType": "EmailTypeIMAP",
        "EmailAccountDescription": description,
        "EmailAccountName": account.display_name or account.display_address,
        "EmailAddress": address,
        "IncomingMailServerHostName": imap.host,
        "IncomingMailServerPortNumber": imap.port,
        "IncomingMailServerUseSSL": True,
        "IncomingMailServerAuthentication": "EmailAuthPassword",
        "IncomingMailServerUsername": address,
        "OutgoingMailServerHostName": smtp.host,
        "OutgoingMailServerPortNumber": smtp.port,
        "OutgoingMailServerUseSSL": True,
        "OutgoingMailServerAuthentication": "EmailAuthPassword",
        "OutgoingMailServerUsername": address,
        "OutgoingPasswordSameAsIncomingPassword": True,
    }
    profile = {
        "PayloadType": "Configuration",
        "PayloadVersion": 1,
        "PayloadIdentifier": profile_id,
        "PayloadUUID": profile_uuid,
        "PayloadDisplayName": _("Mail for %(address)s") % {"address": account.display_address},
        "PayloadDescription": _("Adds the mail account %(address)s. The device asks for its password.")
        % {"address": account.display_address},
        "PayloadOrganization": description,
        "PayloadRemovalDisallowed": False,
        "PayloadContent": [mail],
    }
    return sign(plistlib.dumps(profile, fmt=plistlib.FMT_XML))


def sign(data: bytes) -> bytes:
    """CMS-sign data with the TLS certificate (and send its chain); unchanged if we cannot."""
    cert_path, key_path = settings.HOPTHU_TLS_CERT, settings.HOPTHU_TLS_KEY
    if not getattr(settings, "HOPTHU_SIGN_PROFILES", True) or not (cert_path.is_file() and key_path.is_file()):
        return data
    try:
        certificate, *chain = x509.load_pem_x509_certificates(cert_path.read_bytes())
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        builder = pkcs7.PKCS7SignatureBuilder().set_data(data).add_signer(certificate, key, hashes.SHA256())
        for intermediate in chain:
            builder = builder.add_certificate(intermediate)
        return builder.sign(serialization.Encoding.DER, [])
    except (OSError, ValueError, TypeError) as exc:
        # Unreadable key, unsupported key type (e.g. Ed25519): serve the profile unsigned.
        log.warning("Apple profile served unsigned: %s", type(exc).__name__)
        return data
