"""Relay tokens and relay networks: list, make, disable/enable, revoke or remove.

Superadmins only. A grant lets software or a network send as a domain to anyone, outside
any mailbox's limits and, for a network, without a password; what the server's IP
addresses send is the operator's reputation to keep (docs/panel-relay.md). Changes go
through mailcore.relay.services, as `manage.py relay` does, and each is audited. A new
token's secret is shown in the response that made it, and never again.
"""
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mailcore.directory.models import Domain
from mailcore.relay import services
from mailcore.relay.models import RelayNetwork, RelayToken

from ..access import audit, superadmin_required
from ..fields import add_service_errors
from ..listing import build_listing
from .forms import RelayGrantForm, RelayNetworkForm

SORTS = {"domain": ("domain__name", "name"), "name": "name", "created": "created", "last_used": "last_used"}
KINDS = {
    "token": {"model": RelayToken, "form": RelayGrantForm, "template": "panel/relay/tokens.html",
              "list": "panel:relay_tokens", "search": ("name", "domain__name", "username")},
    "network": {"model": RelayNetwork, "form": RelayNetworkForm, "template": "panel/relay/networks.html",
                "list": "panel:relay_networks", "search": ("name", "domain__name", "network")},
}


def _page(request, kind: str, form=None, status=200, **context):
    spec = KINDS[kind]
    grants = spec["model"].objects.select_related("domain")
    listing = build_listing(request, grants, sorts=SORTS, default="domain", search=spec["search"])
    form = form or spec["form"](domains=Domain.objects.order_by("name"))
    return render(request, spec["template"], {"listing": listing, "form": form, "kind": kind,
                                              "relay_port": settings.HOPTHU_PORTS["relay"], **context}, status=status)


def _snapshot(grant) -> dict:
    """What an audit entry records of a grant (never a secret or its hash)."""
    detail = {"username": grant.username} if isinstance(grant, RelayToken) else {"network": grant.network}
    return {"domain": grant.domain.name, **detail, "senders": grant.senders, "rate_per_hour": grant.rate_per_hour}


@superadmin_required
def relay_home(request):
    return redirect("panel:relay_tokens")


@superadmin_required
def token_list(request):
    if request.method != "POST":
        return _page(request, "token")
    form = RelayGrantForm(request.POST, domains=Domain.objects.order_by("name"))
    if form.is_valid():
        try:
            token, secret = services.create_token(form.cleaned_data["domain"], form.cleaned_data["name"],
                                                  **form.grant_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            audit(request, "relay_token.create", token.name, domain=token.domain.name, after=_snapshot(token))
            # Shown on this response only: not stored in plain text, not in a URL, not cached.
            response = _page(request, "token", new_token=token, new_secret=secret)
            response["Cache-Control"] = "no-store"
            return response
    return _page(request, "token", form=form, status=400)


@superadmin_required
def network_list(request):
    if request.method != "POST":
        return _page(request, "network")
    form = RelayNetworkForm(request.POST, domains=Domain.objects.order_by("name"))
    if form.is_valid():
        try:
            grant = services.create_network(form.cleaned_data["domain"], form.cleaned_data["name"],
                                            form.cleaned_data["network"], **form.grant_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            audit(request, "relay_network.create", grant.name, domain=grant.domain.name, after=_snapshot(grant))
            messages.success(request, _("%(network)s may now send as %(domain)s through the relay port.")
                             % {"network": grant.network, "domain": grant.domain.unicode_name})
            return redirect("panel:relay_networks")
    return _page(request, "network", form=form, status=400)


@require_POST
@superadmin_required
def grant_active(request, kind, pk):
    """Disable or enable a grant (POST active=0|1); a disabled grant is refused at once."""
    model = KINDS[kind]["model"]
    grant = get_object_or_404(model.objects.select_related("domain"), pk=pk)
    active = request.POST.get("active") == "1"
    if grant.active != active:
        services.set_grant_active(model, grant.domain.name, grant.name, active)
        audit(request, f"relay_{kind}.update", grant.name, domain=grant.domain.name,
              before={"domain": grant.domain.name, "active": grant.active},
              after={"domain": grant.domain.name, "active": active})
    text = _("%(name)s is enabled.") if active else _("%(name)s is disabled: the relay port refuses it.")
    messages.success(request, text % {"name": grant.name})
    return redirect(KINDS[kind]["list"])


@require_POST
@superadmin_required
def grant_delete(request, kind, pk):
    """Revoke a token or remove a network for good; software using it is refused from now on."""
    model = KINDS[kind]["model"]
    grant = get_object_or_404(model.objects.select_related("domain"), pk=pk)
    before = _snapshot(grant)
    services.remove_grant(model, grant.domain.name, grant.name)
    audit(request, f"relay_{kind}.delete", grant.name, domain=grant.domain.name, before=before)
    text = _("The relay token %(name)s was revoked.") if kind == "token" else \
        _("The relay network %(name)s was removed.")
    messages.success(request, text % {"name": grant.name})
    return redirect(KINDS[kind]["list"])
