"""Thunderbird's autoconfig URLs: answered for hosted active domains only, found by
?emailaddress= or by the host asked (autoconfig.<domain>, or <domain>/.well-known/)."""
from xml.etree import ElementTree as ET

import pytest

from mailcore.directory.services import create_domain_alias, update_domain

WELL_KNOWN = "/.well-known/autoconfig/mail/config-v1.1.xml"
MAIL = "/mail/config-v1.1.xml"


@pytest.fixture(autouse=True)
def any_host(settings):
    settings.ALLOWED_HOSTS = ["*"]


def provider(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content).find("emailProvider")


@pytest.mark.parametrize("url", [WELL_KNOWN, MAIL])
def test_an_address_at_a_hosted_domain_gets_its_config(client, domain, url):
    found = provider(client.get(url, {"emailaddress": "anyone@example.test"}))

    assert found.get("id") == "example.test"


def test_no_account_is_needed_so_accounts_cannot_be_probed(client, alice):
    existing = client.get(MAIL, {"emailaddress": "alice@example.test"})
    missing = client.get(MAIL, {"emailaddress": "nobody@example.test"})

    assert existing.content == missing.content


def test_an_unknown_domain_is_not_found(client, domain):
    assert client.get(MAIL, {"emailaddress": "x@elsewhere.test"}).status_code == 404


def test_a_disabled_domain_is_not_found(client, domain):
    update_domain("example.test", active=False)

    assert client.get(MAIL, {"emailaddress": "x@example.test"}).status_code == 404


def test_an_address_at_a_domain_alias_gets_the_target_domains_config(client, domain):
    create_domain_alias("example.info", "example.test")

    found = provider(client.get(MAIL, {"emailaddress": "alice@example.info"}))

    assert found.get("id") == "example.test"
    assert [d.text for d in found.findall("domain")] == ["example.test", "example.info"]


def test_without_an_address_the_autoconfig_host_names_the_domain(client, domain):
    found = provider(client.get(MAIL, HTTP_HOST="autoconfig.example.test"))

    assert found.get("id") == "example.test"


def test_without_an_address_the_well_known_host_names_the_domain(client, domain):
    found = provider(client.get(WELL_KNOWN, HTTP_HOST="Example.TEST:443"))

    assert found.get("id") == "example.test"


def test_without_an_address_an_unhosted_host_is_not_found(client, domain):
    assert client.get(MAIL, HTTP_HOST="mail.example.test").status_code == 404
    assert client.get(MAIL, HTTP_HOST="autoconfig.elsewhere.test").status_code == 404


@pytest.mark.parametrize("hostile", [
    '"><evil/>@example.test',
    "a<b>&c@example.test",
    "alice@example.test\r\nX-Injected: 1",
    "alice@example.test\x00",
    "a" * 10_000 + "@example.test",
    "alice@" + "a" * 300 + ".test",
    "",
])
def test_hostile_addresses_are_refused_without_echo(client, domain, hostile):
    response = client.get(MAIL, {"emailaddress": hostile})

    assert response.status_code == 400
    assert b"evil" not in response.content and b"Injected" not in response.content


def test_only_get_is_allowed(client, domain):
    assert client.post(MAIL, {"emailaddress": "a@example.test"}).status_code == 405


def test_the_webmail_below_mail_is_not_shadowed(client, domain):
    # /mail/config-v1.1.xml sits in the webmail's prefix: other /mail/ URLs still reach the webmail.
    assert client.get("/mail/").status_code == 302


def test_head_is_answered_for_clients_that_probe_first(client, domain):
    assert client.head(MAIL, {"emailaddress": "a@example.test"}).status_code == 200
