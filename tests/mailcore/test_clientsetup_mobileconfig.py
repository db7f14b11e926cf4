"""The Apple profile parses as a plist and holds what iOS and macOS Mail require; it is
signed with the mail host's certificate when there is one (checked with openssl)."""
import plistlib
import shutil
import subprocess

import pytest

from mailcore.clientsetup.mobileconfig import mobileconfig
from mailcore.service.tls import generate_self_signed
from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def no_certificate(settings, tmp_path):
    settings.HOPTHU_TLS_CERT = tmp_path / "missing" / "cert.pem"
    settings.HOPTHU_TLS_KEY = tmp_path / "missing" / "key.pem"


@pytest.fixture
def certificate(settings, tmp_path):
    settings.HOPTHU_TLS_CERT, settings.HOPTHU_TLS_KEY = tmp_path / "cert.pem", tmp_path / "key.pem"
    generate_self_signed(settings.HOPTHU_TLS_CERT, settings.HOPTHU_TLS_KEY, ["mail.example.test"])
    return settings.HOPTHU_TLS_CERT

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


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
def test_with_a_certificate_the_profile_is_signed_and_openssl_verifies_it(alice, certificate, tmp_path):
    signed = tmp_path / "profile.mobileconfig"
    signed.write_bytes(mobileconfig(alice))

    result = subprocess.run(
        ["openssl", "smime", "-verify", "-inform", "DER", "-in", str(signed), "-CAfile", str(certificate),
         "-purpose", "any"], capture_output=True, check=False)

    assert result.returncode == 0, result.stderr
    assert plistlib.loads(result.stdout)["PayloadContent"][0]["EmailAddress"] == "alice@example.test"


def test_an_unreadable_key_serves_the_profile_unsigned(alice, certificate, settings):
    settings.HOPTHU_TLS_KEY.write_text("not a key")

    assert plistlib.loads(mobileconfig(alice))["PayloadType"] == "Configuration"
