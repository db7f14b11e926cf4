"""Celery beat task: check every active domain's DNS records once a day, so the panel's
dashboard warns about a record that went missing even when nobody opened the DNS page."""
import logging

from celery import shared_task

from mailcore.directory.models import Domain

from .check import check_domain

log = logging.getLogger(__name__)


@shared_task(name="mailcore.dnsguide.check_all", ignore_result=True)
def check_all_domains() -> int:
    failing = 0
    for domain in Domain.objects.filter(active=True).order_by("name"):
        report = check_domain(domain, refresh=True)
        failing += any(result.status in ("missing", "wrong") for result in report.results.values())
    if failing:
        log.info("DNS check: %d domains have missing or wrong records", failing)
    return failing
