"""Count mail events per domain per day: one upsert per event batch, never a read-modify-write."""
from django.db.models import F
from django.utils import timezone

from .models import DailyCount

Kind = DailyCount.Kind


def count(domain: str, kind: str, n: int = 1, day=None) -> None:
    """Add n to (domain, day, kind). `domain` is the A-label; day defaults to today (UTC)."""
    if not domain or n <= 0:
        return
    day = day or timezone.now().date()
    domain = domain.lower()
    updated = DailyCount.objects.filter(domain=domain, day=day, kind=kind).update(count=F("count") + n)
    if not updated:
        _, created = DailyCount.objects.get_or_create(domain=domain, day=day, kind=kind, defaults={"count": n})
        if not created:  # another process created it between our update and insert
            DailyCount.objects.filter(domain=domain, day=day, kind=kind).update(count=F("count") + n)
