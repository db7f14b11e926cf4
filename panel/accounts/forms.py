"""Forms of the accounts area. They check shape and permission; mailcore.directory.services
checks the rules (limits, duplicates, loops) and its errors are put on these fields."""
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mailcore.directory.addresses import domain_to_unicode, parse_address
from mailcore.directory.models import AppPasswordsOnly
from panel.fields import SizeField


def split_addresses(text: str) -> list[str]:
    """Targets typed one per line, or separated by commas, semicolons or spaces."""
    return [part for part in re.split(r"[\s,;]+", text or "") if part]


class PasswordPairMixin:
    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data


def _password_fields():
    return (
        forms.CharField(label=gettext_lazy("Password"), strip=False, widget=forms.PasswordInput(
            attrs={"autocomplete": "new-password"})),
        forms.CharField(label=gettext_lazy("Password again"), strip=False, widget=forms.PasswordInput(
            attrs={"autocomplete": "new-password"})),
    )


class AccountCreateForm(PasswordPairMixin, forms.Form):
    address = forms.CharField(label=gettext_lazy("Address"), max_length=254)
    display_name = forms.CharField(label=gettext_lazy("Display name"), max_length=200, required=False)
    password, password2 = _password_fields()
    quota = SizeField(label=gettext_lazy("Quota"), empty_bytes=None,
                      help_text=gettext_lazy("Such as 2 GB or 500 MB; 0 means unlimited; empty takes the "
                                             "domain's default."))

    def __init__(self, *args, managed: set[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.managed = managed

    def clean_address(self):
        address = _managed_address(self.cleaned_data["address"], "address", self.managed)
        return str(address)


class AccountEditForm(forms.Form):
    display_name = forms.CharField(label=gettext_lazy("Display name"), max_length=200, required=False)
    quota = SizeField(label=gettext_lazy("Quota"), required=True)
    active = forms.BooleanField(label=gettext_lazy("Active (may sign in and receive mail)"), required=False)
    app_passwords_only = forms.ChoiceField(
        label=gettext_lazy("Mail programs only with app passwords"), choices=AppPasswordsOnly.choices,
        required=False,  # left out: unchanged
        help_text=gettext_lazy("IMAP, POP3 and SMTP then refuse the account's own password. The domain's "
                               "setting can require it for every account."))


class PasswordForm(PasswordPairMixin, forms.Form):
    password, password2 = _password_fields()


class DeleteForm(forms.Form):
    """Typed confirmation: the admin writes the address being deleted."""

    confirm = forms.CharField(label=gettext_lazy("Type the address to confirm"), max_length=254)

    def __init__(self, *args, expected: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.expected = expected

    def clean_confirm(self):
        value = self.cleaned_data["confirm"].strip().lower()
        if value not in self.expected:
            raise ValidationError(_("Type the address exactly as shown to delete it."))
        return value


class ForwardForm(forms.Form):
    targets = forms.CharField(label=gettext_lazy("Forward to"), required=False, widget=forms.Textarea(
        attrs={"rows": 3}), help_text=gettext_lazy("One address per line. Empty stops forwarding."))
    keep_copy = forms.BooleanField(label=gettext_lazy("Keep a copy in this mailbox"), required=False)

    def clean_targets(self):
        return split_addresses(self.cleaned_data["targets"])


class AppPasswordForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100,
                           help_text=gettext_lazy("The device or program it is for, such as “Phone”."))


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV file"))


class AliasForm(forms.Form):
    source = forms.CharField(label=gettext_lazy("Alias address"), max_length=254, help_text=gettext_lazy(
        "Such as sales@example.com, or @example.com for the catch-all (every address nothing else takes)."))
    targets = forms.CharField(label=gettext_lazy("Deliver to"), widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=gettext_lazy("One address per line, or separated by commas."))

    def __init__(self, *args, managed: set[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.managed = managed

    def clean_source(self):
        return str(_managed_address(self.cleaned_data["source"], "source", self.managed, allow_catchall=True))

    def clean_targets(self):
        targets = split_addresses(self.cleaned_data["targets"])
        if not targets:
            raise ValidationError(_("At least one target is required."))
        return targets


class AliasTargetsForm(forms.Form):
    targets = AliasForm.base_fields["targets"]

    clean_targets = AliasForm.clean_targets


def _managed_address(text, field, managed, allow_catchall=False):
    try:
        address = parse_address(text, field, allow_catchall=allow_catchall)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict[field]) from None
    if address.domain not in managed:
        raise ValidationError(_("You do not manage the domain %(domain)s."),
                              params={"domain": domain_to_unicode(address.domain)})
    return address
