"""The form that makes an API token; mailcore.auth.api_tokens checks the values."""
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from mailcore.auth.api_tokens import EXPIRY_DAYS


def _days_label(days: int) -> str:
    return ngettext_lazy("%(count)d day", "%(count)d days", days) % {"count": days}


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100,
                           help_text=_("What uses it, e.g. “provisioning script”."))
    days = forms.TypedChoiceField(label=_("Expires after"), coerce=int, initial=90,
                                  choices=[(days, _days_label(days)) for days in EXPIRY_DAYS])
