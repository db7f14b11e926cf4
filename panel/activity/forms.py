"""Filter forms of the activity pages. Bad input is a form error naming the field; the
list then shows unfiltered rather than guessing."""
from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mailcore.collation import sort_key
from mailcore.delivery.models import QueueRecipient
from mailcore.directory.addresses import domain_to_unicode

from .audit_sentences import action_label

ANY = [("", _("Any"))]


class DateRangeForm(forms.Form):
    domain = forms.ChoiceField(label=_("Domain"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data, *, domains: list[str], **kwargs):
        super().__init__(data, **kwargs)
        self.fields["domain"].choices = [("", _("All domains"))] + [(name, domain_to_unicode(name)) for name in domains]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned

    def time_range(self) -> tuple[datetime | None, datetime | None]:
        """[start, end) as aware datetimes in the current time zone, so an index serves it."""
        start, end = self.cleaned_data.get("date_from"), self.cleaned_data.get("date_to")
        return (
            timezone.make_aware(datetime.combine(start, time.min)) if start else None,
            timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)) if end else None,
        )


class DeliveryFilterForm(DateRangeForm):
    DIRECTIONS = [("in", _("Incoming")), ("out", _("Outgoing")), ("local", _("Local"))]

    status = forms.ChoiceField(label=_("Status"), required=False, choices=ANY + QueueRecipient.Status.choices)
    direction = forms.ChoiceField(label=_("Direction"), required=False, choices=ANY + DIRECTIONS)
    field_order = ["status", "direction", "domain", "date_from", "date_to"]


class AuditFilterForm(DateRangeForm):
    actor = forms.CharField(label=_("By"), required=False, max_length=254)
    action = forms.ChoiceField(label=_("Action"), required=False)
    field_order = ["actor", "action", "domain", "date_from", "date_to"]

    def __init__(self, data, *, domains: list[str], actions: list[str], **kwargs):
        super().__init__(data, domains=domains, **kwargs)
        # In reading order (Vietnamese collation), as the panel's other lists.
        labelled = sorted(((action, action_label(action)) for action in actions), key=lambda pair: sort_key(pair[1]))
        self.fields["action"].choices = ANY + labelled
