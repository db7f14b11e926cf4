"""The MTA-STS policy file (RFC 8461 §3.3) at https://mta-sts.<domain>/.well-known/mta-sts.txt."""
import pytest

from mailcore.dnsguide.mtasts import policy_id
from mailcore.dnsguide.records import expected_records

URL = "/.well-known/mta-sts.txt"


@pytest.fixture(autouse=True)
def hosts(settings):
    # As deployed: mta-sts.<domain> is not in ALLOWED_HOSTS; panel/service_hosts.py lets it in.
    settings.ALLOWED_HOSTS = ["mail.example.test"]
    settings.HOPTHU_HOSTNAME = "mail.example.test"
    settings.HOPTHU_MTA_STS_MODE = "enforce"
    settings.HOPTHU_MTA_STS_MAX_AGE = 86400


def test_a_hosted_domain_gets_the_policy_without_signing_in(client, domain):
    response = client.get(URL, HTTP_HOST="mta-sts.example.test")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content == b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.test\r\nmax_age: 86400\r\n"


def test_the_published_id_matches_the_policy_served(client, domain, settings):
    record = next(r for r in expected_records(domain) if r.key == "mta-sts")
    assert record.value == f"v=STSv1; id={policy_id('mail.example.test')}"
    settings.HOPTHU_MTA_STS_MODE = "testing"
    assert b"mode: testing" in client.get(URL, HTTP_HOST="mta-sts.example.test").content
    assert next(r for r in expected_records(domain) if r.key == "mta-sts").value != record.value


def test_a_host_with_a_port_and_in_capitals_still_matches(client, domain):
    assert client.get(URL, HTTP_HOST="MTA-STS.Example.Test:443").status_code == 200


@pytest.fixture
def any_host(settings):
    settings.ALLOWED_HOSTS = ["*"]  # past Django's host check, so the view itself decides


def test_a_domain_alias_gets_the_policy(client, domain, any_host):
    from mailcore.directory.models import DomainAlias

    DomainAlias.objects.create(name="example.net", target=domain)
    assert client.get(URL, HTTP_HOST="mta-sts.example.net").status_code == 200


@pytest.mark.parametrize("host", ["mta-sts.unknown.test", "mail.example.test", "example.test", "mta-sts.",
                                  "testserver"])
def test_other_hosts_get_404(client, domain, host, any_host):
    assert client.get(URL, HTTP_HOST=host).status_code == 404


def test_a_disabled_domain_gets_404(client, domain, any_host):
    domain.active = False
    domain.save(update_fields=["active"])
    assert client.get(URL, HTTP_HOST="mta-sts.example.test").status_code == 404


def test_only_get_and_head_are_answered(client, domain):
    assert client.head(URL, HTTP_HOST="mta-sts.example.test").status_code == 200
    assert client.post(URL, HTTP_HOST="mta-sts.example.test").status_code == 405
