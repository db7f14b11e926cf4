"""An Apple configuration profile (.mobileconfig) adding one IMAP account to Mail on iOS,
iPadOS and macOS.

Apple's Configuration Profile Reference: a top-level "Configuration" payload holding one
com.apple.mail.managed payload. No password is written: the device asks for it when the
profile is installed. PayloadIdentifier and PayloadUUID are derived from the host and the
address, so downloading the profile again replaces the installed one instead of adding a
second account. The profile is unsigned (the device shows it as "not verified").
"""
import plistlib
import uuid

from django.utils.translation import gettext as _

from mailcore.directory.models import Account

from . import mail_host, preferred

CONTENT_TYPE = "application/x-apple-aspen-config"


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
    return plistlib.dumps(profile, fmt=plistlib.FMT_XML)
