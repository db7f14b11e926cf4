"""Listener health, mail statistics and storage: read-only pages over mailcore's figures."""
from django.core.paginator import Paginator
from django.db.models import Count, F, FloatField, Sum
from django.db.models.functions import Cast, Coalesce, NullIf
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mailcore.directory.models import Account
from mailcore.service.health import listener_health
from mailcore.stats.models import DailyCount
from mailcore.stats.series import daily_series, days_ending

from ..access import admin_required, managed_domains, of_managed_domains, superadmin_required
from ..listing import build_listing
from .charts import bar_chart

DAYS = 30


@superadmin_required
def listeners(request):
    nodes = listener_health()
    for node in nodes:
        node["started"], node["last_seen"] = parse_datetime(node["started"]), parse_datetime(node["last_seen"])
    return render(request, "panel/activity/listeners.html", {"nodes": nodes})


@admin_required
def stats(request):
    names = list(managed_domains(request.user).order_by("sort_key", "name").values_list("name", flat=True))
    chosen = request.GET.get("domain", "")
    if chosen and chosen not in names:
        chosen = ""  # a domain that is not theirs: show their own, never someone else's
    scope = [chosen] if chosen else (None if request.is_superadmin else names)
    series = daily_series(scope, DAYS)
    days = days_ending(timezone.now().date(), DAYS)
    labels = dict(DailyCount.Kind.choices)
    charts = [{
        "kind": kind, "label": labels.get(kind, kind), "total": sum(values),
        "svg": bar_chart(kind, labels.get(kind, kind), _(
            "%(kind)s per day, %(start)s to %(end)s: %(total)d in all, at most %(peak)d in a day.") % {
                "kind": labels.get(kind, kind), "start": date_format(days[0]), "end": date_format(days[-1]),
                "total": sum(values), "peak": max(values)}, days, values),
    } for kind, values in series.items()]
    table = [(day, [series[chart["kind"]][index] for chart in charts]) for index, day in enumerate(days)]
    return render(request, "panel/activity/stats.html", {
        "charts": charts, "table": list(reversed(table)), "domains": names, "chosen": chosen, "days": DAYS})


STORAGE_SORTS = {"address": "address_key", "used": "used_bytes", "quota": "quota",
                 "usage": "usage", "messages": "message_count"}


@admin_required
def storage(request):
    domains = managed_domains(request.user)
    accounts = (of_managed_domains(Account.objects, request.user).select_related("domain")
                .only("localpart", "quota", "used_bytes", "message_count", "active", "domain__name")
                .annotate(usage=Cast(F("used_bytes"), FloatField()) / NullIf(Cast(F("quota"), FloatField()), 0.0)))
    listing = build_listing(request, accounts, sorts=STORAGE_SORTS, default="-used",
                            search=("localpart", "domain__name"))
    totals = (domains.order_by("sort_key", "name").annotate(
        used=Coalesce(Sum("accounts__used_bytes"), 0), accounts_count=Count("accounts"))
        .values("name", "total_quota", "used", "accounts_count"))
    totals_page = Paginator(totals, 50).get_page(request.GET.get("dpage"))
    return render(request, "panel/activity/storage.html", {"listing": listing, "totals": totals_page})
