"""Settings: the mail user's own API tokens (docs/api.md).

A mail user's token reaches only their own account through /api/v1/: its display name,
forwarding and app passwords. Shown once, stored hashed (mailcore/auth/api_tokens.py);
making one asks for the password again, as an app password does.
"""
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy
from django.views.decorators.http import require_POST

from mailcore.audit.log import record
from mailcore.auth import api_tokens
from webmail.access import account_required

from . import forms as settings_forms
from .views import password_again


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100,
                           help_text=gettext_lazy("What uses it, e.g. “provisioning script”."))
    days = forms.TypedChoiceField(
        label=gettext_lazy("Expires after"), coerce=int, initial=90,
        choices=[(days, ngettext_lazy("%(count)d day", "%(count)d days", days) % {"count": days})
                 for days in api_tokens.EXPIRY_DAYS])


def _audit(request, action: str, token, **change):
    record(request.user, action, "api_token", token.name, ip=request.META.get("REMOTE_ADDR"),
           domain=request.account.domain.name, **change)


@account_required
@password_again
def api_token_list(request):
    form = ApiTokenForm(request.POST or None)
    token = text = None
    if request.method == "POST" and form.is_valid():
        try:
            token, text = api_tokens.create_token(request.user, form.cleaned_data["name"],
                                                  days=form.cleaned_data["days"])
        except ValidationError as error:
            settings_forms.apply_errors(form, error)
        else:
            _audit(request, "api_token.create", token,
                   after={"name": token.name, "prefix": token.prefix, "expires": token.expires.isoformat()})
            form = ApiTokenForm()
    response = render(request, "webmail/preferences/api_tokens.html", {
        "section": "api_tokens", "form": form, "rows": api_tokens.live_tokens(request.user),
        "new_token": token, "new_token_text": text})
    if text:
        response["Cache-Control"] = "no-store"  # the token is in this response only
    return response


@require_POST
@account_required
def api_token_revoke(request, token_id):
    try:
        token = api_tokens.revoke_token(request.user, token_id)
    except ValidationError:
        messages.error(request, _("There is no such token."))
    else:
        _audit(request, "api_token.revoke", token, before={"name": token.name, "prefix": token.prefix})
        messages.success(request, _("The API token %(name)s was revoked.") % {"name": token.name})
    return redirect("webmail:settings_api_tokens")
