"""Forms of the panel's filter area: a domain's filter policy, and the quarantine list's filters."""
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mailcore.filters.models import FilterPolicy, QuarantinedMessage

_EXTENSION_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,15}$")
# RFC 2045 §5.1: type "/" subtype, both tokens; no wildcards (a blocked type is exact).
_TYPE_RE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,62}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$")


def _words(text: str) -> list[str]:
    return [word for word in text.replace(",", " ").lower().split() if word]


class PolicyForm(forms.ModelForm):
    class Meta:
        model = FilterPolicy
        fields = ["engine", "header_score", "junk_score", "reject_score", "greylisting", "virus_action",
                  "scanner_down", "blocked_extensions", "blocked_types", "attachment_action", "quarantine_days"]
        widgets = {"blocked_extensions": forms.Textarea(attrs={"rows": 3}),
                   "blocked_types": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "header_score": _("Mail scoring this much or more gets X-Spam-Flag: YES."),
            "junk_score": _("Mail scoring this much or more goes to the Junk folder."),
            "reject_score": _("Mail scoring this much or more is refused at SMTP time (554 5.7.1). 0 never refuses."),
            "greylisting": _("Ask unknown senders to try again later once (RFC 6647); real servers do, most spam "
                             "software does not. First mail from a new sender arrives some minutes late."),
            "scanner_down": _("Delivering unscanned lets viruses through while ClamAV is down."),
            "blocked_extensions": _("Separated by spaces or commas, without dots, e.g. exe scr js. Also checked "
                                    "inside zip archives."),
            "blocked_types": _("Content types such as application/x-msdownload, separated by spaces or commas."),
            "quarantine_days": _("Held mail is deleted after this many days (1 to 365)."),
        }

    def clean_header_score(self):
        return self._score("header_score")

    def clean_junk_score(self):
        return self._score("junk_score")

    def clean_reject_score(self):
        return self._score("reject_score")

    def _score(self, name):
        value = self.cleaned_data[name]
        if value < 0 or value > 1000:
            raise ValidationError(_("Enter a score from 0 to 1000."), code="range")
        return value

    def clean_quarantine_days(self):
        days = self.cleaned_data["quarantine_days"]
        if not 1 <= days <= 365:
            raise ValidationError(_("Enter a number of days from 1 to 365."), code="range")
        return days

    def clean_blocked_extensions(self):
        words = [word.lstrip(".") for word in _words(self.cleaned_data["blocked_extensions"])]
        bad = [word for word in words if not _EXTENSION_RE.match(word)]
        if bad:
            raise ValidationError(_("Not a file extension: %(value)s"), code="invalid", params={"value": bad[0]})
        return " ".join(dict.fromkeys(words))

    def clean_blocked_types(self):
        words = _words(self.cleaned_data["blocked_types"])
        bad = [word for word in words if not _TYPE_RE.match(word)]
        if bad:
            raise ValidationError(_("Not a content type (type/subtype): %(value)s"), code="invalid",
                                  params={"value": bad[0]})
        return " ".join(dict.fromkeys(words))

    def clean(self):
        data = super().clean()
        header, junk, reject = (data.get(name) for name in ("header_score", "junk_score", "reject_score"))
        if header is not None and junk is not None and header > junk:
            self.add_error("header_score", _("Must not be above the Junk score: mail sent to Junk is marked too."))
        if junk is not None and reject and junk > reject:
            self.add_error("junk_score", _("Must not be above the reject score (or set the reject score to 0)."))
        return data


class QuarantineFilter(forms.Form):
    """The quarantine list's filters (GET)."""

    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("All kinds")), *QuarantinedMessage.Kind.choices])
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("held", _("held")), ("released", _("released")), ("all", _("all"))])
    domain = forms.ChoiceField(label=_("Domain"), required=False)

    def __init__(self, data, domains):
        super().__init__(data)
        self.fields["domain"].choices = [("", _("All domains")), *((d.name, str(d)) for d in domains)]

    def value(self, name) -> str:
        return self.cleaned_data.get(name, "") if self.is_valid() else ""
