"""Daily counts as plain series for charts: one value per day, zero-filled."""
from datetime import date, timedelta

from django.db.models import Sum
from django.utils import timezone

from .models import DailyCount

Kind = DailyCount.Kind
MAIN_KINDS = (Kind.RECEIVED, Kind.SENT, Kind.BOUNCED, Kind.REJECTED)


def days_ending(last: date, days: int) -> list[date]:
    return [last - timedelta(days=offset) for offset in range(days - 1, -1, -1)]


def daily_series(domains: list[str] | None, days: int = 30, last: date | None = None) -> dict[str, list[int]]:
    """{kind: [count per day]} summed over `domains` (A-labels; None: every domain) for
    the `days` ending `last`.

    The four main kinds are always present; spam, virus and policy only once they occur.
    """
    last = last or timezone.now().date()
    span = days_ending(last, days)
    index = {day: position for position, day in enumerate(span)}
    rows = DailyCount.objects.filter(day__gte=span[0], day__lte=last)
    if domains is not None:
        rows = rows.filter(domain__in=domains)
    rows = rows.values("kind", "day").annotate(total=Sum("count")).order_by()
    series = {kind: [0] * days for kind in MAIN_KINDS}
    for row in rows:
        series.setdefault(row["kind"], [0] * days)[index[row["day"]]] = row["total"]
    return series
