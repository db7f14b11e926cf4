"""The DNS guidance page and its zone download: who may see them, and what they show."""
import pytest
from django.core.cache import cache

from mailcore.dkim.keys import create_key, rotate_key
from mailcore.dnsguide.records import expected_records
from tests.mailcore.dnsguide.publish import publish

URL = "/panel/dns/example.test/"


@pytest.fixture(autouse=True)
def mail_host(settings):
    settings.HOPTHU_HOSTNAME = "mail.example.test"
    settings.HOPTHU_PUBLIC_IPV4 = "192.0.2.25"
    cache.clear()  # check reports are cached per domain for a minute


def test_a_signed_out_visitor_is_sent_to_sign_in(client, domain):
    for url in (URL, URL + "zone/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_mail_user_is_refused(client, alice):
    client.force_login(alice.user)
    assert client.get(URL).status_code == 403
    assert client.get(URL + "zone/").status_code == 403


def test_a_domain_admin_cannot_see_another_domains_records(owner_client):
    assert owner_client.get("/panel/dns/example.org/").status_code == 404
    assert owner_client.get("/panel/dns/example.org/zone/").status_code == 404
    assert owner_client.get("/panel/dns/nowhere.test/").status_code == 404


def test_a_domain_admin_sees_their_records_with_copy_buttons(owner_client, domain):
    key = create_key(domain)
    response = owner_client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "10 mail.example.test." in page and "v=spf1 mx -all" in page
    assert f"{key.selector}._domainkey" in page and key.public_key in page
    assert 'data-copy="#value-1"' in page and 'id="value-1"' in page
    assert 'href="/panel/dns/example.test/zone/"' in page
    assert 'name="check" value="now"' in page
    assert "style=" not in page and "onclick" not in page


def test_the_page_shows_each_state_with_its_fix(super_client, domain, dns_server):
    records = expected_records(domain)
    publish(dns_server, records, skip=("mx", "spf"))
    dns_server.add("example.test", "MX", "10 mx.elsewhere.test.")
    page = super_client.get(URL).content.decode()
    assert 'data-key="mx" data-status="wrong"' in page
    assert 'data-key="spf" data-status="missing"' in page
    assert 'data-key="dmarc" data-status="ok"' in page
    assert "Replace the MX records with one pointing to mail.example.test." in page
    assert "mx.elsewhere.test" in page


def test_check_now_asks_dns_again(super_client, domain, dns_server):
    super_client.get(URL)
    asked = len(dns_server.queries)
    super_client.get(URL)
    assert len(dns_server.queries) == asked  # within the minute: the cached report
    super_client.get(URL + "?check=now")
    assert len(dns_server.queries) > asked


def test_the_page_is_in_vietnamese_when_asked(super_client, domain):
    response = super_client.get(URL, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200 and response["Content-Language"] == "vi"


def test_the_page_reads_the_domain_and_its_keys_in_two_queries(super_client, domain, django_assert_max_num_queries):
    create_key(domain)
    rotate_key(domain)
    with django_assert_max_num_queries(12) as queries:  # the rest is sessions and middleware
        assert super_client.get(URL).status_code == 200
    ours = [q["sql"] for q in queries.captured_queries if "directory_domain" in q["sql"] or "dkim_" in q["sql"]]
    assert len(ours) == 2


def test_the_zone_downloads_as_a_text_attachment(owner_client, domain):
    create_key(domain)
    response = owner_client.get(URL + "zone/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response["Content-Disposition"] == 'attachment; filename="example.test.zone"'
    assert "example.test.\t3600\tIN\tMX\t10 mail.example.test." in response.content.decode()


def test_an_idn_domain_is_found_by_either_spelling(super_client, db):
    from mailcore.directory.services import create_domain

    domain = create_domain("hộpthư.vn")
    assert super_client.get(f"/panel/dns/{domain.name}/").status_code == 200
    assert super_client.get("/panel/dns/hộpthư.vn/").status_code == 200
