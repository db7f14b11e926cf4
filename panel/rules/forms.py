"""The panel's rule forms: the editor is mailcore's (delivery/rule_forms.py, shared with
the webmail's settings); the test form, for a pasted message, is the panel's own."""
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_TEST_CHARS = 1_000_000


class TestForm(forms.Form):
    message = forms.CharField(
        label=_("Message source"), max_length=MAX_TEST_CHARS, strip=False, widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Paste a whole message, headers first (in a mail client: \"View source\" or \"Show original\")."))

    def clean_message(self):
        text = self.cleaned_data["message"]
        if ":" not in text.split("\n", 1)[0]:
            raise ValidationError(_("This does not start with a header line such as \"From: …\"."))
        return text
