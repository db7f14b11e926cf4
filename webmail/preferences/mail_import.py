"""Settings → Import mail: a user copies their own mailbox from their old provider over
IMAP (one source account, into their own account only). The copying is
mailcore.migration's; this page starts it and shows its progress and report."""
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mailcore.migration import jobs
from mailcore.migration.models import MigrationJob
from mailcore.migration.source import public_host
from webmail.access import account_required

from .forms import apply_errors


class ImportForm(forms.Form):
    host = forms.CharField(label=gettext_lazy("Old server"), max_length=253,
                           help_text=gettext_lazy("Your old provider's IMAP server, e.g. imap.old-provider.example."))
    port = forms.IntegerField(label=gettext_lazy("Port"), min_value=1, max_value=65535, initial=993)
    security = forms.ChoiceField(label=gettext_lazy("Security"), choices=MigrationJob.SECURITY,
                                 initial=MigrationJob.IMAPS)
    verify_certificate = forms.BooleanField(label=gettext_lazy("Verify the server's certificate"), required=False,
                                            initial=True)
    login = forms.CharField(label=gettext_lazy("Old login"), max_length=320,
                            help_text=gettext_lazy("Usually your old email address."))
    password = forms.CharField(label=gettext_lazy("Old password"), widget=forms.PasswordInput(render_value=False),
                               help_text=gettext_lazy("Kept encrypted while the import runs, deleted when it ends."))


def _latest(account):
    return MigrationJob.objects.filter(accounts__target=account, origin="webmail").order_by("-created").first()


@account_required
def mail_import(request):
    latest = _latest(request.account)
    running = latest is not None and latest.state in (MigrationJob.QUEUED, MigrationJob.RUNNING)
    form = ImportForm(request.POST or None)
    if request.method == "POST" and running:
        form.add_error(None, _("An import is already running; wait until it ends."))
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not settings.HOPTHU_IMPORT_PRIVATE_HOSTS and not public_host(data["host"], data["port"]):
            form.add_error("host", _("%(host)s is not a public address; an import can only reach servers on "
                                     "the Internet.") % {"host": data["host"]})
            return _page(request, form, latest, running)
        try:
            jobs.create_job(host=data["host"], port=data["port"], security=data["security"],
                            verify_certificate=data["verify_certificate"],
                            accounts=[(data["login"], data["password"], request.account)],
                            created_by=request.user, origin="webmail")
        except ValidationError as error:
            apply_errors(form, error, {"accounts": "login"})
        else:
            messages.success(request, _("The import has started. This page shows how far it has got."))
            return redirect("webmail:settings_import")
    return _page(request, form, latest, running)


def _page(request, form, latest, running):
    return render(request, "webmail/preferences/import.html", {
        "section": "import", "form": form, "job": latest, "running": running,
        "rows": jobs.report(latest) if latest else []}, status=400 if form.errors else 200)
