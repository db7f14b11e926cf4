"""The mail host of these tests lives inside example.test, at a documentation address."""
import pytest

HOST = "mail.example.test"
IPV4 = "192.0.2.25"
PORTS = {"smtp": 25, "submission": 587, "submissions": 465, "relay": 2525,
         "imap": 143, "imaps": 993, "pop3": 110, "pop3s": 995}


@pytest.fixture(autouse=True)
def mail_host_settings(settings):
    settings.HOPTHU_HOSTNAME = HOST
    settings.HOPTHU_PUBLIC_IPV4 = IPV4
    settings.HOPTHU_PUBLIC_IPV6 = ""
    settings.HOPTHU_PORTS = dict(PORTS)
    settings.HOPTHU_MTA_STS_MODE = "testing"
    return settings
