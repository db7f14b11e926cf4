"""A domain's catch-all (its admins may set it) and its domain aliases (superadmin only:
an alias claims a whole new domain name for this server)."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mailcore.directory import services
from mailcore.directory.addresses import domain_to_unicode, normalize_domain
from mailcore.directory.models import Alias
from panel.access import admin_required, audit, domain_or_404, superadmin_required
from panel.fields import add_service_errors

from .forms import CatchAllForm, DomainAliasForm
from .views import render_detail


@require_POST
@admin_required
def catch_all(request, name):
    domain = domain_or_404(request, name)
    form = CatchAllForm(request.POST)
    if form.is_valid():
        current = Alias.objects.filter(domain=domain, localpart="").first()
        before = sorted(current.targets.values_list("address", flat=True)) if current else []
        try:
            services.set_catch_all(domain.name, form.cleaned_data["targets"])
        except ValidationError as error:
            add_service_errors(form, error, rename={"source": "targets"})
        else:
            after = sorted(Alias.objects.filter(domain=domain, localpart="").values_list("targets__address",
                                                                                       flat=True))
            audit(request, "alias.update", f"@{domain.name}", domain=domain.name,
                  before={"targets": before}, after={"targets": [a for a in after if a]})
            messages.success(request, _("The catch-all was saved."))
            return redirect("panel:domain_detail", name=domain.unicode_name)
    return render_detail(request, domain, status=400, catch_all_form=form)


@require_POST
@superadmin_required
def domain_alias_add(request, name):
    domain = domain_or_404(request, name)
    form = DomainAliasForm(request.POST)
    if form.is_valid():
        try:
            alias = services.create_domain_alias(form.cleaned_data["alias_name"], domain.name)
        except ValidationError as error:
            add_service_errors(form, error, rename={"domain": "alias_name", "target": "alias_name"})
        else:
            audit(request, "domain_alias.create", alias.name, domain=domain.name,
                  after={"name": alias.name, "target": domain.name})
            messages.success(request, _("%(alias)s is now an alias of %(name)s.")
                             % {"alias": domain_to_unicode(alias.name), "name": domain.unicode_name})
            return redirect("panel:domain_detail", name=domain.unicode_name)
    return render_detail(request, domain, status=400, alias_form=form)


@require_POST
@superadmin_required
def domain_alias_remove(request, name, alias):
    domain = domain_or_404(request, name)
    try:
        alabel = normalize_domain(alias)
    except ValidationError:
        raise Http404 from None
    if not domain.domain_aliases.filter(name=alabel).exists():
        raise Http404
    services.remove_domain_alias(alabel)
    audit(request, "domain_alias.delete", alabel, domain=domain.name, before={"name": alabel, "target": domain.name})
    messages.success(request, _("The domain alias %(alias)s was removed.") % {"alias": domain_to_unicode(alabel)})
    return redirect("panel:domain_detail", name=domain.unicode_name)
