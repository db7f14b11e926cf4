"""Forms of the domains area. The services validate; add_service_errors() puts their
messages on the field they name, so every error says which field and what is wrong."""
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mailcore.directory.addresses import normalize_domain
from mailcore.directory.models import Domain
from panel.fields import SizeField


class LimitsForm(forms.Form):
    max_accounts = forms.IntegerField(label=_("Maximum accounts"), min_value=0, initial=0,
                                      help_text=_("0 means unlimited."))
    max_aliases = forms.IntegerField(label=_("Maximum aliases"), min_value=0, initial=0,
                                     help_text=_("0 means unlimited; the catch-all counts as one."))
    total_quota = SizeField(label=_("Total quota"),
                            help_text=_("Shared by all accounts, for example 50 GB; 0 means unlimited."))
    default_quota = SizeField(label=_("Default mailbox quota"),
                              help_text=_("Given to new accounts, for example 2 GB; 0 means unlimited."))


class DomainAddForm(LimitsForm):
    name = forms.CharField(label=_("Domain name"), max_length=253,
                           help_text=_("International names are welcome, for example ví-dụ.vn."))
    field_order = ["name"]

    def clean_name(self):
        try:
            return normalize_domain(self.cleaned_data["name"], "name")
        except ValidationError as error:
            raise ValidationError(error.message_dict["name"]) from None


class PolicyForm(forms.Form):
    dmarc_reject = forms.BooleanField(
        label=_("Refuse mail that fails DMARC when the sender's domain asks for it (p=reject)"), required=False)


class MailProgramsForm(forms.Form):
    app_passwords_only = forms.BooleanField(
        label=_("Mail programs only with app passwords, for every account"), required=False,
        help_text=_("IMAP, POP3 and SMTP then refuse the accounts' own passwords. When this is off, it still "
                    "applies to each account with two-factor authentication, unless its own setting says "
                    "otherwise."))


class SendingAlertsForm(forms.Form):
    """When HopThu holds an account's outbound mail (docs/sending-alerts.md)."""

    send_alert_floor = forms.IntegerField(
        label=_("Messages an account may always send in an hour"), min_value=0, max_value=1000000,
        help_text=_("Below this, an account is never held for its volume, however quiet it usually is."))
    send_alert_factor = forms.IntegerField(
        label=_("Hold when an hour is this many times its usual busiest hours"), min_value=0, max_value=1000,
        help_text=_("Its usual busiest hours: the 95th percentile of the last 14 days. 0 turns this off."))
    send_alert_new_recipients = forms.IntegerField(
        label=_("Hold after this many new recipients in an hour"), min_value=0, max_value=1000000,
        help_text=_("Addresses the account never wrote to before. 0 turns this off."))
    send_alert_new_network = forms.BooleanField(
        label=_("Hold after a sign-in from a network not used for 30 days"), required=False)


class CatchAllForm(forms.Form):
    targets = forms.CharField(
        label=_("Catch-all targets"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mail for addresses that do not exist at this domain goes here; one address per line. "
                    "Leave empty to refuse such mail."))

    def clean_targets(self):
        text = self.cleaned_data["targets"].replace(",", "\n")
        return [line.strip() for line in text.splitlines() if line.strip()]


class DomainAliasForm(forms.Form):
    alias_name = forms.CharField(label=_("Domain alias"), max_length=253,
                                 help_text=_("Mail for any address at this name is delivered as if sent to "
                                             "the same address at this domain."))


class DeleteForm(forms.Form):
    KEEP, REMOVE = "keep", "remove"
    mail = forms.ChoiceField(
        label=_("Stored mail"), widget=forms.RadioSelect, initial=KEEP,
        choices=[(KEEP, _("Keep it: disable the domain and its accounts; the mailboxes stay and the domain "
                          "can be enabled again.")),
                 (REMOVE, _("Remove it: delete the domain, its accounts, folders and messages for good."))])
    confirm = forms.CharField(label=_("Type the domain name to confirm"), max_length=253)

    def __init__(self, *args, domain: Domain, **kwargs):
        super().__init__(*args, **kwargs)
        self.domain = domain

    def clean_confirm(self):
        typed = self.cleaned_data["confirm"].strip()
        try:
            matches = normalize_domain(typed, "confirm") == self.domain.name
        except ValidationError:
            matches = False
        if not matches:
            raise ValidationError(_("Type %(name)s exactly to confirm."), params={"name": self.domain.unicode_name})
        return typed


class ConfirmKeyForm(forms.Form):
    force = forms.BooleanField(
        label=_("I have published the new record; use the new key even though the check cannot see it yet."),
        required=False)


class NewAdminForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=254)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput(render_value=False),
                               strip=False)
    domain = forms.ModelChoiceField(label=_("Domain"), queryset=Domain.objects.all(), to_field_name="name",
                                    help_text=_("More domains can be granted afterwards."))


class ExistingAdminForm(forms.Form):
    existing = forms.CharField(label=_("Existing login"), max_length=254,
                               help_text=_("A login that exists already, such as a mail user's address."))
    domain = forms.ModelChoiceField(label=_("Domain"), queryset=Domain.objects.all(), to_field_name="name")

    def clean_existing(self):
        username = self.cleaned_data["existing"].strip()
        user = get_user_model().objects.filter(username__iexact=username).first()
        if user is None:
            # A mail login is the address with an A-label domain; accept the U-label too.
            local, _at, domain = username.rpartition("@")
            try:
                user = get_user_model().objects.filter(
                    username__iexact=f"{local}@{normalize_domain(domain)}").first() if local else None
            except ValidationError:
                user = None
        if user is None:
            raise ValidationError(_("There is no login %(username)s."), params={"username": username})
        return user


class GrantForm(forms.Form):
    domain = forms.ModelChoiceField(label=_("Domain"), queryset=Domain.objects.none(), to_field_name="name")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].queryset = Domain.objects.exclude(admin_grants__user=user)
