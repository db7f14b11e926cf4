"""The audit log: who changed what (before → after), when and from where, as sentences."""
from django.shortcuts import render

from mailcore.audit.models import AuditEntry

from ..access import admin_required, managed_domains
from ..idn import unicode_names
from ..listing import build_listing
from .audit_sentences import describe
from .forms import AuditFilterForm

SORTS = {"time": "time", "actor": "actor_name", "action": "action", "domain": "domain", "ip": "ip"}
SEARCH = ("actor_name", "action", "object_repr", "domain")


def _visible(request):
    entries = AuditEntry.objects.all()
    if not request.is_superadmin:
        # Entries without a domain (grants, global settings) are the superadmins' business.
        entries = entries.filter(domain__in=managed_domains(request.user).values("name"))
    return entries


def _filtered(request, entries):
    domains = list(managed_domains(request.user).order_by("sort_key", "name").values_list("name", flat=True))
    actions = list(entries.order_by("action").values_list("action", flat=True).distinct())
    form = AuditFilterForm(request.GET or None, domains=domains, actions=actions)
    if not form.is_valid():
        return form, entries, {}
    data = form.cleaned_data
    if data["actor"]:
        entries = entries.filter(actor_name__iexact=data["actor"].strip())
    if data["action"]:
        entries = entries.filter(action=data["action"])
    if data["domain"]:
        entries = entries.filter(domain=data["domain"])
    start, end = form.time_range()
    if start:
        entries = entries.filter(time__gte=start)
    if end:
        entries = entries.filter(time__lt=end)
    return form, entries, {key: value for key, value in request.GET.items() if key in form.fields and value}


@admin_required
def audit_log(request):
    form, entries, params = _filtered(request, _visible(request))
    listing = build_listing(request, entries, sorts=SORTS, default="-time", search=SEARCH, params=params)
    for entry in listing.objects:
        entry.description = describe(entry)
        entry.domain_name = unicode_names(entry.domain)
    return render(request, "panel/activity/audit_log.html", {"listing": listing, "form": form})
