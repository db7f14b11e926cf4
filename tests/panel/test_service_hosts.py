"""autoconfig./autodiscover./mta-sts.<hosted domain> are answered without an ALLOWED_HOSTS entry,
for their own paths only; any other host or path keeps Django's host check."""
import pytest


@pytest.fixture
def strict_hosts(settings):
    settings.ALLOWED_HOSTS = ["mail.example.test"]


def test_thunderbird_gets_autoconfig_from_the_domains_autoconfig_host(client, domain, strict_hosts):
    response = client.get("/mail/config-v1.1.xml", HTTP_HOST="autoconfig.example.test")
    assert response.status_code == 200 and b"<clientConfig" in response.content


def test_the_service_host_does_not_open_other_pages(client, domain, strict_hosts):
    assert client.get("/accounts/login/", HTTP_HOST="autoconfig.example.test").status_code == 400
    assert client.get("/accounts/password/reset/", HTTP_HOST="mta-sts.example.test").status_code == 400


def test_an_unhosted_or_disabled_domain_is_refused(client, domain, strict_hosts):
    from mailcore.directory.services import update_domain

    assert client.get("/mail/config-v1.1.xml", HTTP_HOST="autoconfig.evil.example").status_code == 400
    update_domain("example.test", active=False)
    assert client.get("/mail/config-v1.1.xml", HTTP_HOST="autoconfig.example.test").status_code == 400


def test_outlook_reaches_autodiscover_on_its_host(client, domain, strict_hosts):
    body = (b'<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="http://schemas.microsoft.com/'
            b'exchange/autodiscover/outlook/requestschema/2006"><Request><EMailAddress>alice@example.test'
            b'</EMailAddress><AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/'
            b'outlook/responseschema/2006a</AcceptableResponseSchema></Request></Autodiscover>')
    response = client.post("/autodiscover/autodiscover.xml", body, content_type="text/xml",
                           HTTP_HOST="autodiscover.example.test")
    assert response.status_code == 200 and b"<Protocol>" in response.content


def test_a_domain_alias_service_host_is_answered_too(client, domain, strict_hosts):
    from mailcore.directory.services import create_domain_alias

    create_domain_alias("example.net", "example.test")
    assert client.get("/.well-known/mta-sts.txt", HTTP_HOST="mta-sts.example.net").status_code == 200
