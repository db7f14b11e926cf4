"""Aliases: an address (or the catch-all `@domain`) delivered to one or more targets.

services.create_alias enforces the domain's alias limit, refuses unknown local targets
and loops; these views put its errors on the form and audit each change.
"""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mailcore.directory import services
from mailcore.directory.addresses import address_to_unicode
from mailcore.directory.models import Alias
from panel.fields import add_service_errors

from ..access import admin_required, alias_or_404, audit, domain_or_404, managed_domains, of_managed_domains
from ..listing import build_listing
from .forms import AliasForm, AliasTargetsForm, chosen_domain

ALIAS_SORTS = {"address": "address_key", "active": "active", "created": "created"}  # reading order


def _targets(alias) -> list[str]:
    return [target.address for target in alias.targets.all()]


@admin_required
def alias_list(request):
    domains = managed_domains(request.user)
    aliases = of_managed_domains(Alias.objects.select_related("domain").prefetch_related("targets"), request.user)
    params = {}
    if request.GET.get("domain"):
        domain = domain_or_404(request, request.GET["domain"])
        aliases, params = aliases.filter(domain=domain), {"domain": domain.name}
    listing = build_listing(request, aliases.distinct(), sorts=ALIAS_SORTS, default="address",
                            search=("localpart", "domain__name", "targets__address"), params=params)
    return render(request, "panel/accounts/alias_list.html", {
        "listing": listing, "domains": domains.only("name"), "current_domain": params.get("domain", ""),
    })


@admin_required
def alias_create(request):
    domains = managed_domains(request.user).only("name")
    form = AliasForm(request.POST or None, domains=domains)
    form.fields["domain"].initial = chosen_domain(request.GET.get("domain"), form.fields["domain"].choices)
    if request.method == "POST" and form.is_valid():
        try:
            alias = services.create_alias(form.cleaned_data["source"], form.cleaned_data["targets"])
        except ValidationError as exc:
            add_service_errors(form, exc, rename={"source": "localpart"})
        else:
            audit(request, "alias.create", alias, domain=alias.domain.name, after={"targets": _targets(alias)})
            messages.success(request, _("The alias %(address)s was created.") % {"address": alias})
            return redirect("panel:alias_list")
    return render(request, "panel/accounts/alias_form.html", {"form": form}, status=400 if form.errors else 200)


@admin_required
def alias_detail(request, pk):
    alias = alias_or_404(request, pk)
    before = _targets(alias)
    form = AliasTargetsForm(request.POST or None, initial={"targets": "\n".join(map(address_to_unicode, before))})
    if alias.ldap_dn:  # the directory's: the next sync would undo an edit here
        form.fields["targets"].disabled = True
        if request.method == "POST":
            form.add_error(None, _("This alias comes from LDAP: change it there."))
    if request.method == "POST" and form.is_valid():
        try:
            services.set_alias_targets(alias.address, form.cleaned_data["targets"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            after = _targets(alias)
            if after != before:
                audit(request, "alias.update", alias, domain=alias.domain.name,
                      before={"targets": before}, after={"targets": after})
            messages.success(request, _("Saved."))
            return redirect("panel:alias_list")
    return render(request, "panel/accounts/alias_form.html", {"form": form, "alias": alias},
                  status=400 if form.errors else 200)


@require_POST
@admin_required
def alias_delete(request, pk):
    alias = alias_or_404(request, pk)
    before = _targets(alias)
    if alias.ldap_dn:
        messages.error(request, _("This alias comes from LDAP: change it there."))
        return redirect("panel:alias_detail", pk=alias.pk)
    try:
        services.remove_alias(alias.address)
    except ValidationError as exc:
        for message in (m for messages_ in exc.message_dict.values() for m in messages_):
            messages.error(request, message)
        return redirect("panel:alias_detail", pk=alias.pk)
    audit(request, "alias.delete", alias, domain=alias.domain.name, before={"targets": before})
    messages.success(request, _("The alias %(address)s was deleted.") % {"address": alias})
    return redirect("panel:alias_list")


@require_POST
@admin_required
def alias_active(request, pk):
    """Enable or disable an alias from its row in the list (the same access as editing it).

    A disabled alias takes no mail and is no sender (services.set_alias_active)."""
    alias = alias_or_404(request, pk)
    before, active = alias.active, request.POST.get("active") == "1"
    services.set_alias_active(alias.address, active)
    if active != before:
        audit(request, "alias.update", alias, domain=alias.domain.name,
              before={"active": before}, after={"active": active})
    text = (_("The alias %(address)s is enabled.") if active
            else _("The alias %(address)s is disabled: mail to it is refused."))
    messages.success(request, text % {"address": alias})
    return redirect(_back_to_list(request))


def _back_to_list(request) -> str:
    """The list page the button was pressed on (its filter, sort and page), else the list."""
    listing = reverse("panel:alias_list")
    back = request.POST.get("next", "")
    if back.startswith(listing) and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return back
    return listing
