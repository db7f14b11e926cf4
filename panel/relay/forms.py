"""Forms for relay grants. Values are checked by mailcore.relay.services (the CLI's
checks); these forms only read the fields and put the services' errors on them."""
import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class RelayGrantForm(forms.Form):
    domain = forms.ChoiceField(label=_("Domain"))
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("What uses it, e.g. “invoices app”."))
    senders = forms.CharField(
        label=_("Allowed senders"), required=False, max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Addresses it may send as, one per line, or @domain for any address there. Empty: any "
                    "address of the domain."))
    rate_per_hour = forms.IntegerField(label=_("Messages per hour"), required=False, min_value=0)

    def __init__(self, data=None, *, domains, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["domain"].choices = [(domain.name, domain.unicode_name) for domain in domains]
        self.fields["rate_per_hour"].help_text = _("0 means unlimited; empty means %(count)s.") % {
            "count": settings.HOPTHU_RELAY_RATE_PER_HOUR}

    def clean_senders(self):
        """A list of addresses, or None (any address of the domain) when the box is empty."""
        return [text for text in re.split(r"[\s,;]+", self.cleaned_data["senders"]) if text] or None

    def grant_arguments(self) -> dict:
        data = self.cleaned_data
        return {"senders": data["senders"], "rate_per_hour": data["rate_per_hour"]}


class RelayNetworkForm(RelayGrantForm):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("What it is, e.g. “office printers”."))
    network = forms.CharField(label=_("Network"), max_length=64,
                              help_text=_("An address or CIDR network, e.g. 192.0.2.0/24."))
    field_order = ["domain", "name", "network", "senders", "rate_per_hour"]
