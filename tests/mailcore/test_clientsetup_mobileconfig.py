"""The Apple profile parses as a plist and holds what iOS and macOS Mail require."""
import plistlib

from mailcore.clientsetup.mobileconfig import mobileconfig
from tests.conftest import PASSWORD

MAIL_KEYS = {
    "PayloadType", "PayloadVersion", "PayloadIdentifier", "PayloadUUID", "EmailAccountType", "EmailAddress",
    "IncomingMailServerHostName", "IncomingMailServerPortNumber", "IncomingMailServerUseSSL",
    "IncomingMailServerAuthentication", "IncomingMailServerUsername",
    "OutgoingMailServerHostName", "OutgoingMailServerPortNumber", "OutgoingMailServerUseSSL",
    "OutgoingMailServerAuthentication", "OutgoingMailServerUsername",
}


def test_the_profile_adds_one_imap_account_over_tls(alice, settings):
    settings.HOPTHU_HOSTNAME = "mail.example.net"
    settings.HOPTHU_PORTS = {**settings.HOPTHU_PORTS, "imaps": 993, "submissions": 465}

    profile = plistlib.loads(mobileconfig(alice))

    assert profile["PayloadType"] == "Configuration"
    assert profile["PayloadVersion"] == 1
    [mail] = profile["PayloadContent"]
    assert set(mail) >= MAIL_KEYS
    assert mail["PayloadType"] == "com.apple.mail.managed"
    assert mail["EmailAccountType"] == "EmailTypeIMAP"
    assert mail["EmailAddress"] == mail["IncomingMailServerUsername"] == "alice@example.test"
    assert (mail["IncomingMailServerHostName"], mail["IncomingMailServerPortNumber"]) == ("mail.example.net", 993)
    assert (mail["OutgoingMailServerHostName"], mail["OutgoingMailServerPortNumber"]) == ("mail.example.net", 465)
    assert mail["IncomingMailServerUseSSL"] is True and mail["OutgoingMailServerUseSSL"] is True


def test_the_profile_holds_no_password(alice):
    data = mobileconfig(alice)
    mail = plistlib.loads(data)["PayloadContent"][0]

    assert not any("Password" in key and key != "OutgoingPasswordSameAsIncomingPassword" for key in mail)
    assert PASSWORD.encode() not in data


def test_identifiers_are_stable_per_account_and_differ_between_accounts(alice, bob):
    first = plistlib.loads(mobileconfig(alice))
    again = plistlib.loads(mobileconfig(alice))
    other = plistlib.loads(mobileconfig(bob))

    for key in ("PayloadUUID", "PayloadIdentifier"):
        assert first[key] == again[key] != other[key]
        assert first["PayloadContent"][0][key] == again["PayloadContent"][0][key] != other["PayloadContent"][0][key]
    assert first["PayloadUUID"] != first["PayloadContent"][0]["PayloadUUID"]
