"""Each fresh DNS check is kept as the domain's last check (DnsCheck), which the panel's
dashboard warns from without asking DNS; the daily task refreshes every active domain."""
import pytest
from django.core.cache import cache

from mailcore.directory.services import create_domain
from mailcore.dkim.keys import create_key
from mailcore.dnsguide.check import check_domain
from mailcore.dnsguide.models import DnsCheck
from mailcore.dnsguide.records import expected_records
from mailcore.dnsguide.tasks import check_all_domains

from .publish import publish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_cached_reports():
    cache.clear()  # reports are cached per domain for a minute


def test_a_check_keeps_the_records_that_were_not_ok(dns_server, domain):
    create_key(domain)
    records = expected_records(domain)
    publish(dns_server, records, skip=("dmarc",))
    report = check_domain(domain, records, refresh=True)
    last = DnsCheck.objects.get(domain=domain)
    assert last.checked == report.checked
    assert last.failing() == [{"key": "dmarc", "status": "missing", "rtype": "TXT", "name": "_dmarc.example.test"}]


def test_a_later_check_replaces_the_last_one(dns_server, domain):
    records = expected_records(domain)
    check_domain(domain, records, refresh=True)
    assert DnsCheck.objects.get().failing()
    publish(dns_server, records)
    check_domain(domain, records, refresh=True)
    assert DnsCheck.objects.count() == 1
    assert DnsCheck.objects.get().failing() == []


def test_a_cached_report_writes_nothing(dns_server, domain):
    check_domain(domain)
    DnsCheck.objects.all().delete()
    check_domain(domain)  # within the minute: the cached report, no new check
    assert not DnsCheck.objects.exists()


def test_the_daily_task_checks_every_active_domain(dns_server, domain):
    create_domain("retired.test", active=False)
    assert check_all_domains() == 1  # example.test published nothing
    assert list(DnsCheck.objects.values_list("domain__name", flat=True)) == ["example.test"]
