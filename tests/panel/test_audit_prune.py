"""Retention: the daily task deletes entries older than HOPTHU_AUDIT_RETENTION_DAYS, only those."""
from datetime import timedelta

from django.utils import timezone

from mailcore.audit.log import record
from mailcore.audit.models import AuditEntry
from mailcore.audit.tasks import prune_audit_log


def aged(days: int, name: str):
    entry = record(None, "domain.create", "domain", name)
    AuditEntry.objects.filter(pk=entry.pk).update(time=timezone.now() - timedelta(days=days))


def test_it_deletes_only_entries_past_the_retention(db, settings):
    settings.HOPTHU_AUDIT_RETENTION_DAYS = 30
    aged(31, "old.example")
    aged(29, "recent.example")
    aged(0, "today.example")
    assert prune_audit_log() == 1
    assert sorted(AuditEntry.objects.values_list("object_repr", flat=True)) == ["recent.example", "today.example"]


def test_a_retention_of_zero_keeps_everything(db, settings):
    settings.HOPTHU_AUDIT_RETENTION_DAYS = 0
    aged(4000, "ancient.example")
    assert prune_audit_log() == 0
    assert AuditEntry.objects.count() == 1
