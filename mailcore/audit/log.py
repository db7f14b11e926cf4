"""Write and prune the audit log. Callers pass plain JSON-able dicts for before and after."""
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import AuditEntry

KEPT_FOREVER = "account.erase"


def record(actor, action: str, object_type: str, object_repr: str, *, ip: str | None = None,
           domain: str = "", before: dict | None = None, after: dict | None = None, via: str = "") -> AuditEntry:
    """Append one entry. `actor` is a User (or None for the system)."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_name=actor.get_username() if actor is not None else "system",
        ip=ip or None, action=action, object_type=object_type, object_repr=str(object_repr)[:320],
        domain=domain, before=before, after=after, via=via,
    )


def changed(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the keys whose value changed, so an entry reads as what was done."""
    keys = [key for key in after if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}


def prune(now=None) -> int:
    """Delete entries older than HOPTHU_AUDIT_RETENTION_DAYS (0 keeps everything).

    The records that an account was erased stay: they are the proof the erase was done
    (mailcore.accountdata.erase), and hold no content.
    """
    days = settings.HOPTHU_AUDIT_RETENTION_DAYS
    if not days:
        return 0
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted, _ = AuditEntry.objects.filter(time__lt=cutoff).exclude(action=KEPT_FOREVER).delete()
    return deleted
