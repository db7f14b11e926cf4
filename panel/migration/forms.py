"""The panel's migration form: the old server, how accounts log in, and the accounts."""
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mailcore.directory.addresses import parse_address
from mailcore.directory.lookup import find_account
from mailcore.migration.models import MigrationJob

MAX_ACCOUNTS = 500


class MigrationForm(forms.Form):
    host = forms.CharField(label=_("Old server"), max_length=253,
                           help_text=_("Its name or address, e.g. imap.old-provider.example."))
    port = forms.IntegerField(label=_("Port"), min_value=1, max_value=65535, initial=993)
    security = forms.ChoiceField(label=_("Security"), choices=MigrationJob.SECURITY, initial=MigrationJob.IMAPS)
    verify_certificate = forms.BooleanField(label=_("Verify the server's certificate"), required=False,
                                            initial=True)
    login_method = forms.ChoiceField(label=_("Log in with"), choices=MigrationJob.LOGINS,
                                     initial=MigrationJob.OWN_PASSWORD)
    admin_login = forms.CharField(label=_("Admin login"), max_length=320, required=False)
    admin_password = forms.CharField(label=_("Admin password"), required=False,
                                     widget=forms.PasswordInput(render_value=False))
    accounts = forms.CharField(
        label=_("Accounts"), widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text=_("One per line: the old login, then the address here, then the password (the password is "
                    "left out with an admin login). Without an address here, the old login is used."))

    def __init__(self, *args, domains=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.domains = domains  # the domains this admin may manage (a queryset)

    def clean_accounts(self):
        method = self.data.get("login_method", MigrationJob.OWN_PASSWORD)
        lines = [line for line in self.cleaned_data["accounts"].splitlines() if line.strip()]
        if len(lines) > MAX_ACCOUNTS:
            raise ValidationError(_("At most %(count)d accounts per job.") % {"count": MAX_ACCOUNTS})
        accounts = []
        for number, line in enumerate(lines, 1):
            # A password may hold spaces: it is the rest of the line.
            fields = line.strip().split(None, 2) if method == MigrationJob.OWN_PASSWORD else line.split()
            login = fields[0]
            target_text = fields[1] if len(fields) > 1 else login
            password = fields[2] if method == MigrationJob.OWN_PASSWORD and len(fields) > 2 else ""
            if method == MigrationJob.OWN_PASSWORD and not password:
                raise ValidationError(_("Line %(number)d: the password is missing.") % {"number": number})
            try:
                target = find_account(parse_address(target_text))
            except ValidationError:
                target = None
            if target is None or not self.domains.filter(pk=target.domain_id).exists():
                raise ValidationError(_("Line %(number)d: %(address)s is not an account you manage.")
                                      % {"number": number, "address": target_text})
            accounts.append((login, password, target))
        return accounts
