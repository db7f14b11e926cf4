"""API tokens: make one (shown once), list the live ones, revoke one (docs/api.md).

Each admin makes and revokes their own tokens; a token acts with its owner's role
(superadmin, or admin of their domains), checked at every request. The token text is in
the response that made it and never again: only its SHA-256 is stored.
"""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mailcore.auth import api_tokens

from ..access import admin_required, audit
from ..fields import add_service_errors
from .forms import ApiTokenForm


def _page(request, form=None, status=200, **context):
    return render(request, "panel/tokens/tokens.html", {
        "tokens": api_tokens.live_tokens(request.user), "form": form or ApiTokenForm(),
        "api_base": request.build_absolute_uri(reverse("api:domains")).removesuffix("domains/"), **context,
    }, status=status)


@admin_required
def token_list(request):
    if request.method != "POST":
        return _page(request)
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            token, text = api_tokens.create_token(request.user, form.cleaned_data["name"],
                                                  days=form.cleaned_data["days"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            audit(request, "api_token.create", token.name,
                  after={"name": token.name, "prefix": token.prefix, "expires": token.expires.isoformat()})
            # Shown on this response only: not stored in plain text, not in a URL, not cached.
            response = _page(request, new_token=token, new_token_text=text)
            response["Cache-Control"] = "no-store"
            return response
    return _page(request, form=form, status=400)


@require_POST
@admin_required
def token_revoke(request, pk):
    try:
        token = api_tokens.revoke_token(request.user, pk)
    except ValidationError:
        return _page(request, status=404)
    audit(request, "api_token.revoke", token.name, before={"name": token.name, "prefix": token.prefix})
    messages.success(request, _("The API token %(name)s was revoked.") % {"name": token.name})
    return redirect("panel:api_tokens")
