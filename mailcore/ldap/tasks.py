"""The periodic LDAP sync (beat entry "ldap-sync" every HOPTHU_LDAP_SYNC_SECONDS)."""
import logging

from celery import shared_task
from django.conf import settings

from .directory import DirectoryUnavailable
from .sync import SKIPPED, sync

logger = logging.getLogger(__name__)


@shared_task(name="mailcore.ldap.sync", ignore_result=True)
def sync_directory() -> dict:
    """Run the sync; an outage is logged as an error and changes nothing (the next run retries)."""
    if settings.HOPTHU_LDAP is None:
        return {"configured": False}
    try:
        report = sync(settings.HOPTHU_LDAP)
    except DirectoryUnavailable as error:
        logger.error("ldap sync: nothing changed: %s", error)
        return {"configured": True, "error": str(error)}
    changes = [c for c in report.changes if c.kind != SKIPPED]
    logger.info("ldap sync: %d people, %d changes, %d skipped", report.people, len(changes),
                len(report.changes) - len(changes))
    return {"configured": True, "people": report.people, "changes": len(changes)}
