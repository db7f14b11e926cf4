"""Celery tasks of the reports: yesterday's TLS reports (RFC 8460 §4), run hourly by
beat; a day already sent is skipped, so the first run after midnight UTC sends it."""
from celery import shared_task

from .tls_sending import prune, send_day


@shared_task(name="mailcore.reports.send_tls_reports", ignore_result=True)
def send_tls_reports():
    outcomes = send_day()
    prune()
    return len([outcome for outcome in outcomes if not outcome.skipped])
