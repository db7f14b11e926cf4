"""Forms of the accounts area. They check shape and permission; mailcore.directory.services
checks the rules (limits, duplicates, loops) and its errors are put on these fields."""
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mailcore.directory.addresses import domain_to_unicode, normalize_domain, parse_address
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


def domain_choices(domains) -> list[tuple[str, str]]:
    """(A-label, the name as people read it) of each domain, in reading order."""
    from mailcore.collation import sort_key

    named = [(domain.name, domain.unicode_name) for domain in domains]
    return sorted(named, key=lambda pair: sort_key(pair[1]))


def chosen_domain(text: str | None, choices) -> str:
    """The domain a ?domain= link names (either spelling), if it is one of the choices."""
    try:
        alabel = normalize_domain(text or "")
    except ValidationError:
        return ""
    return alabel if alabel in {value for value, _label in choices} else ""


class AddressPartsMixin:
    """An address typed as its local part and a domain picked from the admin's domains.

    One text field with "@domain" filled in made typing land after the domain
    ("@acme.testinfo"); two fields cannot. The address is rebuilt here and checked like a
    typed one. Someone who types a whole address in the first field is understood when
    its domain is one they manage.
    """

    def _set_domains(self, domains):
        self.fields["domain"].choices = domain_choices(domains)
        self.managed = {value for value, _label in self.fields["domain"].choices}

    def _typed_address(self, allow_catchall=False) -> str:
        localpart = (self.cleaned_data.get("localpart") or "").strip()
        domain = self.cleaned_data.get("domain") or ""
        if "@" in localpart:
            localpart, _at, typed_domain = localpart.rpartition("@")
            try:
                domain = normalize_domain(typed_domain, "localpart")
            except ValidationError:
                raise ValidationError(_("Type only the part before @, and choose the domain from the list.")) \
                    from None
        if not localpart and not allow_catchall:
            raise ValidationError(_("Type the part before @."))
        return f"{localpart}@{domain}"


def _localpart_field(label):
    return forms.CharField(label=label, max_length=254, required=False, widget=forms.TextInput(
        attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}))


def _domain_field():
    return forms.ChoiceField(label=gettext_lazy("Domain"), error_messages={
        "invalid_choice": gettext_lazy("Choose one of your domains.")})


class AccountCreateForm(PasswordPairMixin, AddressPartsMixin, forms.Form):
    localpart = _localpart_field(gettext_lazy("Address"))
    domain = _domain_field()
    display_name = forms.CharField(label=gettext_lazy("Display name"), max_length=200, required=False)
    password, password2 = _password_fields()
    quota = SizeField(label=gettext_lazy("Quota"), empty_bytes=None,
                      help_text=gettext_lazy("Such as 2 GB or 500 MB; 0 means unlimited; empty takes the "
                                             "domain's default."))

    def __init__(self, *args, domains, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_domains(domains)

    def clean(self):
        data = super().clean()
        if "localpart" in data and "domain" in data:
            try:
                data["address"] = str(_managed_address(self._typed_address(), "localpart", self.managed))
            except ValidationError as exc:
                self.add_error("localpart", exc)
        return data


# The fields of an account from LDAP that the directory owns (mailcore/ldap/sync.py): the
# panel shows them and doesn't let them be changed here; the next sync would undo it.
LDAP_OWNED_FIELDS = ("display_name", "quota", "active")


class AccountEditForm(forms.Form):
    display_name = forms.CharField(label=gettext_lazy("Display name"), max_length=200, required=False)
    quota = SizeField(label=gettext_lazy("Quota"), required=True)
    active = forms.BooleanField(label=gettext_lazy("Active (may sign in and receive mail)"), required=False)
    app_passwords_only = forms.ChoiceField(
        label=gettext_lazy("Mail programs only with app passwords"), choices=AppPasswordsOnly.choices,
        required=False,  # left out: unchanged
        help_text=gettext_lazy("IMAP, POP3 and SMTP then refuse the account's own password. The domain's "
                               "setting can require it for every account."))

    def __init__(self, *args, from_ldap=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.from_ldap = from_ldap
        if from_ldap:
            for name in LDAP_OWNED_FIELDS:
                # Disabled: the browser sends nothing and Django keeps the initial value.
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Set in LDAP; the directory sync keeps it.")


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


class AliasForm(AddressPartsMixin, forms.Form):
    localpart = _localpart_field(gettext_lazy("Alias address"))
    domain = _domain_field()
    catch_all = forms.BooleanField(label=gettext_lazy("Catch-all: every address at this domain that nothing "
                                                      "else takes"), required=False)
    targets = forms.CharField(label=gettext_lazy("Deliver to"), widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=gettext_lazy("One address per line, or separated by commas."))

    def __init__(self, *args, domains, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_domains(domains)

    def clean(self):
        data = super().clean()
        if "localpart" in data and "domain" in data:
            if data.get("catch_all"):
                data["localpart"] = ""  # the box wins over a name typed before it was ticked
            try:
                text = self._typed_address(allow_catchall=data.get("catch_all"))
                data["source"] = str(_managed_address(text, "localpart", self.managed, allow_catchall=True))
            except ValidationError as exc:
                self.add_error("localpart", exc)
        return data

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


class DirectoryUserForm(PasswordPairMixin, AddressPartsMixin, forms.Form):
    """A new person in the company directory (LDAP) with a mail account (docs/ldap.md)."""

    uid = forms.RegexField(
        label=gettext_lazy("User name in the directory"), max_length=64, regex=r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
        error_messages={"invalid": gettext_lazy("Use letters without accents, digits, dots, hyphens and "
                                                "underscores.")},
        help_text=gettext_lazy("The uid of the new entry, such as an.nguyen."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}))
    localpart = _localpart_field(gettext_lazy("Address"))
    domain = _domain_field()
    display_name = forms.CharField(label=gettext_lazy("Display name"), max_length=200)
    password, password2 = _password_fields()

    def __init__(self, *args, domains, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_domains(domains)

    def clean(self):
        data = super().clean()
        if "localpart" in data and "domain" in data:
            try:
                address = str(_managed_address(self._typed_address(), "localpart", self.managed))
            except ValidationError as exc:
                self.add_error("localpart", exc)
            else:
                if address.isascii():  # the mail attribute is an IA5 (ASCII) string (RFC 4524 §2.16)
                    data["address"] = address
                else:
                    self.add_error("localpart", _("The directory takes addresses without accents before @."))
        return data
