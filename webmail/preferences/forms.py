"""The settings forms. Directory changes go through mailcore.directory.services, whose
ValidationErrors name the field at fault; `apply_errors` puts them on the form's field."""
import unicodedata

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mailcore.delivery.models import VacationReply
from mailcore.directory.models import AppPasswordsOnly
from webmail.models import Preferences, time_zone_choices

MAX_INTERVAL_DAYS = 365


def apply_errors(form, error: ValidationError, fields: dict | None = None):
    """Add a service's errors to form: on the field they name (renamed through fields), else
    to the whole form."""
    fields = fields or {}
    for name, messages in error.message_dict.items():
        name = fields.get(name, name)
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=200, required=False,
                                   help_text=_("Shown with your address on the mail you send."))
    signature = forms.CharField(label=_("Signature"), max_length=4000, required=False,
                                widget=forms.Textarea(attrs={"rows": 5}),
                                help_text=_("Added below the messages you write."))


class DisplayForm(forms.ModelForm):
    time_zone = forms.ChoiceField(label=_("Time zone"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)

    class Meta:
        model = Preferences
        fields = ["language", "time_zone", "page_size", "conversations", "remote_content", "undo_send_seconds"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        browser = self.instance.browser_time_zone
        automatic = (_("Your browser's time zone (%(zone)s)") % {"zone": browser} if browser
                     else _("Your browser's time zone"))
        self.fields["time_zone"].choices = [("", automatic), *time_zone_choices()]
        # Each language named in its own tongue: someone who cannot read the current one
        # still finds theirs.
        native = {"en": "English", "vi": "Tiếng Việt"}
        self.fields["language"].choices = [("", _("The browser's language")),
                                           *[(code, native.get(code, name)) for code, name in settings.LANGUAGES]]


class VacationForm(forms.ModelForm):
    class Meta:
        model = VacationReply
        fields = ["enabled", "subject", "body", "start_date", "end_date", "interval_days"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 8}),
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
        }

    def clean_subject(self):
        subject = self.cleaned_data["subject"].strip()
        # It becomes a Subject: header, where a line break would start a new field.
        if any(unicodedata.category(char) == "Cc" for char in subject):
            raise ValidationError(_("The subject contains control characters."))
        return subject

    def clean_interval_days(self):
        days = self.cleaned_data["interval_days"]
        if not 1 <= days <= MAX_INTERVAL_DAYS:
            raise ValidationError(_("Give a number of days from 1 to %(max)d.") % {"max": MAX_INTERVAL_DAYS})
        return days

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The last day is before the first day."))
        if cleaned.get("enabled") and not (cleaned.get("body") or "").strip():
            self.add_error("body", _("Write the message the automatic reply sends."))
        return cleaned


class ForwardingForm(forms.Form):
    targets = forms.CharField(
        label=_("Forward to"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One address per line. Empty: no forwarding."))
    keep_copy = forms.BooleanField(label=_("Keep a copy in this mailbox"), required=False, initial=True)

    def clean_targets(self):
        text = self.cleaned_data["targets"].replace(",", "\n")
        return [line.strip() for line in text.splitlines() if line.strip()]


class AppPasswordForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100,
                           help_text=_("The device or program that will use it, such as \"Phone\"."))


class RecoveryForm(forms.Form):
    email = forms.EmailField(
        label=_("Recovery address"), required=False,
        help_text=_("Where a password reset link is sent if you forget your password. "
                    "Use an address you can read without signing in here. Empty: none."))


class MailProgramsForm(forms.Form):
    app_passwords_only = forms.ChoiceField(
        label=_("Mail programs only with app passwords"), choices=AppPasswordsOnly.choices,
        help_text=_("When it is on, mail programs (IMAP, POP3, SMTP) cannot sign in with your password, only "
                    "with an app password: someone who learns your password still cannot read your mail "
                    "without your second factor."))
