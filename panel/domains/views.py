"""Domains: the list, adding one, its page, its limits and policy, enabling and deleting.

Adding, limits, enabling and deleting are the superadmin's (docs/panel-domains.md); a
domain admin sees their domains' pages and changes the policy, the catch-all and DKIM.
"""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mailcore.audit.log import changed
from mailcore.directory import services
from mailcore.directory.addresses import address_to_unicode
from mailcore.directory.models import Alias
from mailcore.dkim import keys
from panel.access import admin_required, audit, domain_or_404, managed_domains, superadmin_required
from panel.fields import add_service_errors
from panel.listing import build_listing

from .forms import (
    CatchAllForm,
    DeleteForm,
    DomainAddForm,
    DomainAliasForm,
    LimitsForm,
    MailProgramsForm,
    PolicyForm,
    SendingAlertsForm,
)
from .queries import to_alabels, with_usage

LIMIT_FIELDS = ("max_accounts", "max_aliases", "total_quota", "default_quota")
SORTS = {"name": "sort_key", "active": ("active", "sort_key"), "accounts": "account_count", "aliases": "alias_count",
         "used": "used_bytes", "quota": "total_quota"}


@admin_required
def domain_list(request):
    domains = with_usage(managed_domains(request.user))
    query = request.GET.get("q", "").strip()
    search = ("name",)
    if query and not query.isascii():  # U-labels: stored names are A-labels
        search = ()
        alabels = to_alabels(query)
        domains = domains.filter(name__icontains=alabels) if alabels else domains.none()
    listing = build_listing(request, domains, sorts=SORTS, default="name", search=search)
    return render(request, "panel/domains/list.html", {"listing": listing})


@superadmin_required
def domain_add(request):
    form = DomainAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        try:
            domain = services.create_domain(values["name"], **{f: values[f] for f in LIMIT_FIELDS})
        except ValidationError as error:
            add_service_errors(form, error, rename={"domain": "name"})
        else:
            audit(request, "domain.create", domain, domain=domain.name,
                  after={"name": domain.name, **{f: values[f] for f in LIMIT_FIELDS}})
            messages.success(request, _("The domain %(name)s was added.") % {"name": domain.unicode_name})
            return redirect("panel:domain_detail", name=domain.unicode_name)
    return render(request, "panel/domains/add.html", {"form": form})


def render_detail(request, domain, status=200, **forms):
    """The domain's page, with any bound form (and its errors) in place of a fresh one."""
    catch_all = Alias.objects.filter(domain=domain, localpart="").prefetch_related("targets").first()
    usage = with_usage(managed_domains(request.user)).get(pk=domain.pk)
    context = {
        "domain": domain, "usage": usage, "catch_all": catch_all,
        "domain_aliases": domain.domain_aliases.all(),
        "dkim_key": keys.current_key(domain), "dkim_pending": keys.pending_key(domain),
        "limits_form": forms.get("limits_form") or LimitsForm(initial={f: getattr(domain, f) for f in LIMIT_FIELDS}),
        "policy_form": forms.get("policy_form") or PolicyForm(initial={"dmarc_reject": domain.dmarc_reject}),
        "mail_programs_form": forms.get("mail_programs_form") or MailProgramsForm(
            initial={"app_passwords_only": domain.app_passwords_only}),
        "sending_alerts_form": forms.get("sending_alerts_form") or SendingAlertsForm(
            initial={field: getattr(domain, field) for field in SendingAlertsForm.base_fields}),
        "catch_all_form": forms.get("catch_all_form") or CatchAllForm(initial={
            "targets": "\n".join(address_to_unicode(t.address) for t in catch_all.targets.all()) if catch_all else ""}),
        "alias_form": forms.get("alias_form") or DomainAliasForm(),
    }
    return render(request, "panel/domains/detail.html", context, status=status)


@admin_required
def domain_detail(request, name):
    return render_detail(request, domain_or_404(request, name))


@require_POST
@superadmin_required
def domain_limits(request, name):
    domain = domain_or_404(request, name)
    form = LimitsForm(request.POST)
    if form.is_valid():
        before = {f: getattr(domain, f) for f in LIMIT_FIELDS}
        try:
            services.update_domain(domain.name, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            audit(request, "domain.update", domain, domain=domain.name, **_diff(before, form.cleaned_data))
            messages.success(request, _("The limits were saved."))
            return redirect("panel:domain_detail", name=domain.unicode_name)
    return render_detail(request, domain, status=400, limits_form=form)


@require_POST
@admin_required
def domain_policy(request, name):
    return _save_settings(request, name, PolicyForm, "policy_form", _("The policy was saved."))


@require_POST
@admin_required
def domain_mail_programs(request, name):
    """The domain's "mail programs only with app passwords" switch (mailcore.auth.policy)."""
    return _save_settings(request, name, MailProgramsForm, "mail_programs_form",
                          _("The setting for mail programs was saved."))


@require_POST
@admin_required
def domain_sending_alerts(request, name):
    """When the domain's accounts have their outbound mail held (mailcore/sending_alerts)."""
    return _save_settings(request, name, SendingAlertsForm, "sending_alerts_form",
                          _("The sending alerts were saved."))


def _save_settings(request, name, form_class, form_name: str, done: str):
    """Save a form of the domain's own settings (fields named as Domain's), audited."""
    domain = domain_or_404(request, name)
    form = form_class(request.POST)
    if not form.is_valid():
        return render_detail(request, domain, status=400, **{form_name: form})
    before = {field: getattr(domain, field) for field in form.cleaned_data}
    services.update_domain(domain.name, **form.cleaned_data)
    audit(request, "domain.update", domain, domain=domain.name, **_diff(before, form.cleaned_data))
    messages.success(request, done)
    return redirect("panel:domain_detail", name=domain.unicode_name)


@require_POST
@superadmin_required
def domain_active(request, name):
    domain = domain_or_404(request, name)
    active = request.POST.get("active") == "1"
    services.update_domain(domain.name, active=active)
    audit(request, "domain.update", domain, domain=domain.name,
          before={"active": domain.active}, after={"active": active})
    text = _("%(name)s is enabled.") if active else _("%(name)s is disabled: it refuses mail and sign-ins.")
    messages.success(request, text % {"name": domain.unicode_name})
    return redirect("panel:domain_detail", name=domain.unicode_name)


@superadmin_required
def domain_delete(request, name):
    domain = domain_or_404(request, name)
    form = DeleteForm(request.POST or None, domain=domain)
    if request.method == "POST" and form.is_valid():
        try:
            done = _delete(request, domain, form.cleaned_data["mail"])
        except ValidationError as error:
            add_service_errors(form, error, rename={"domain": "mail"})
        else:
            messages.success(request, done)
            return redirect("panel:domain_list")
    totals = domain.accounts.aggregate(used=Sum("used_bytes"), messages=Sum("message_count"))
    return render(request, "panel/domains/delete.html",
                  {"domain": domain, "form": form, "totals": totals, "accounts": domain.accounts.count()},
                  status=400 if form.errors else 200)


def _delete(request, domain, mode) -> str:
    if mode == DeleteForm.KEEP:
        disabled = services.retire_domain(domain.name)
        audit(request, "domain.retire", domain, domain=domain.name, before={"active": domain.active},
              after={"active": False, "accounts_disabled": disabled, "admin_grants": "revoked"})
        return _("%(name)s is disabled with its accounts; its mail is kept.") % {"name": domain.unicode_name}
    accounts = list(domain.accounts.values_list("localpart", flat=True))
    services.remove_domain(domain.name, remove_accounts=True)
    audit(request, "domain.delete", domain, domain=domain.name,
          before={"name": domain.name, "accounts": [f"{a}@{domain.name}" for a in accounts]}, after={})
    return _("%(name)s was removed with its accounts and their mail.") % {"name": domain.unicode_name}


def _diff(before, after) -> dict:
    old, new = changed(before, after)
    return {"before": old, "after": new}

