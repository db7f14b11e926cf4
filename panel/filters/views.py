"""The panel's filter area: each domain's filter policy, and quarantined mail for admins.

A domain admin sees only their domains' policies, and only the held mail addressed to
their domains (scope.py); releasing or deleting acts on those recipients alone. Every
change is audited.
"""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mailcore.audit.log import changed
from mailcore.filters import quarantine
from mailcore.filters.models import FilterPolicy
from mailcore.filters.policy import policy_for
from panel.access import admin_required, audit, domain_or_404, managed_domains
from panel.listing import build_listing

from .forms import PolicyForm, QuarantineFilter
from .scope import audit_targets, describe_held, domain_names, message_or_404, quarantine_for, recipients_in_scope

POLICY_FIELDS = PolicyForm.Meta.fields


@admin_required
def policy_list(request):
    domains = managed_domains(request.user).select_related("filter_policy")
    listing = build_listing(request, domains, sorts={"name": "sort_key"}, default="name", search=("name",))
    rows = [(domain, policy_for_row(domain)) for domain in listing.objects]
    return render(request, "panel/filters/policy_list.html", {"listing": listing, "rows": rows})


def policy_for_row(domain) -> FilterPolicy:
    """The domain's policy from the joined row, or the defaults (no extra query)."""
    try:
        return domain.filter_policy
    except FilterPolicy.DoesNotExist:
        return FilterPolicy(domain=domain)


@admin_required
def policy_edit(request, name):
    domain = domain_or_404(request, name)
    policy = policy_for(domain)
    before = {field: getattr(policy, field) for field in POLICY_FIELDS}
    form = PolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        form.save()
        old, new = changed(before, {field: getattr(policy, field) for field in POLICY_FIELDS})
        audit(request, "filterpolicy.update", domain.name, domain=domain.name, before=old, after=new)
        messages.success(request, _("The filter policy of %(domain)s was saved.") % {"domain": domain})
        return redirect("panel:filter_policy", name=domain.unicode_name)
    return render(request, "panel/filters/policy_form.html", {"domain": domain, "form": form})


@admin_required
def quarantine_list(request):
    domains = managed_domains(request.user).order_by("sort_key", "name")
    filters = QuarantineFilter(request.GET, domains)
    params = {key: filters.value(key) for key in ("kind", "status", "domain")}
    listing = build_listing(
        request, quarantine_for(request, params), default="-received", per_page=50,
        sorts={"received": "received_at", "sender": "mail_from", "subject": "subject", "kind": "kind",
               "score": "score", "size": "size", "expires": "expires_at"},
        search=("subject", "mail_from", "reason", "recipients__address"), params=params)
    return render(request, "panel/filters/quarantine_list.html",
                  {"listing": listing, "filters": filters, "domains": domains})


@admin_required
def quarantine_detail(request, pk):
    message = message_or_404(request, pk)
    return render(request, "panel/filters/quarantine_detail.html", {
        "message": message, "headers": quarantine.header_summary(message),
        "recipients": recipients_in_scope(request, message)})


@require_POST
@admin_required
def quarantine_release(request, pk):
    message = message_or_404(request, pk)
    names = domain_names(request)
    audited = audit_targets(request, message)
    if quarantine.release(message, request.user, domains=names):
        for domain, addresses in audited.items():
            audit(request, "quarantine.release", describe_held(message), domain=domain, after={"recipients": addresses})
        messages.success(request, _("The message was released: it is being delivered."))
    else:
        messages.error(request, _("The message had already been released or deleted."))
    return redirect("panel:quarantine_detail", pk=message.pk) if _still_visible(request, message) \
        else redirect("panel:quarantine_list")


@require_POST
@admin_required
def quarantine_delete(request, pk):
    message = message_or_404(request, pk)
    audited = audit_targets(request, message)
    if quarantine.delete(message, request.user, domains=domain_names(request)):
        for domain, addresses in audited.items():
            audit(request, "quarantine.delete", describe_held(message), domain=domain,
                  before={"recipients": addresses, "kind": message.kind, "reason": message.reason})
        messages.success(request, _("The message was deleted."))
    else:
        messages.error(request, _("The message had already been released or deleted."))
    return redirect("panel:quarantine_list")


def _still_visible(request, message) -> bool:
    return quarantine_for(request, {"status": "all"}).filter(pk=message.pk).exists()
