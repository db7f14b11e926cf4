"""Settings pages: each loads what it edits through request.account, saves through the
directory's services (or the webmail's own Preferences), and says what it saved."""
from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mailcore.auth.policy import app_passwords_only
from mailcore.delivery.models import VacationReply
from mailcore.directory.login_policy import set_app_passwords_only
from mailcore.directory.models import AppPassword, Forward
from mailcore.directory.services import create_app_password, remove_app_password, set_display_name, set_forward
from webmail.access import account_required
from webmail.models import preferences_for

from . import forms
from .recovery import recovery_address, set_recovery_address

LANGUAGE_COOKIE_MAX_AGE = 365 * 86400

# Changes that would let someone who sat down at a signed-in browser keep a way in (an app
# password, a forward, the reset link's address) ask for the password again first, like
# allauth's own security pages (docs/security.md). Showing the pages does not; a POST
# made without it is suspended and replayed after the password is entered.
password_again = reauthentication_required(allow_get=True)


def _page(request, template, section, **context):
    return render(request, f"webmail/preferences/{template}", {"section": section, **context})


def _saved(request, to):
    messages.success(request, _("Your settings were saved."))
    return redirect(to)


@account_required
def settings_home(request):
    return _page(request, "home.html", "home")


@account_required
def profile(request):
    preferences = preferences_for(request.account)
    initial = {"display_name": request.account.display_name, "signature": preferences.signature}
    form = forms.ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            set_display_name(request.account.address, form.cleaned_data["display_name"])
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            preferences.signature = form.cleaned_data["signature"]
            preferences.save(update_fields=["signature"])
            return _saved(request, "webmail:settings_profile")
    return _page(request, "profile.html", "profile", form=form)


@account_required
def display(request):
    form = forms.DisplayForm(request.POST or None, instance=preferences_for(request.account))
    if request.method == "POST" and form.is_valid():
        preferences = form.save()
        response = _saved(request, "webmail:settings_display")
        # The cookie lets pages outside the session (sign-in, password reset) follow the choice.
        if preferences.language:
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, preferences.language,
                                max_age=LANGUAGE_COOKIE_MAX_AGE, samesite="Lax", secure=settings.SECURE_COOKIES)
        else:
            response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
        return response
    return _page(request, "display.html", "display", form=form)


@account_required
def vacation(request):
    instance = VacationReply.objects.filter(account=request.account).first() or VacationReply(
        account=request.account)
    form = forms.VacationForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        return _saved(request, "webmail:settings_vacation")
    return _page(request, "vacation.html", "vacation", form=form)


@account_required
@password_again
def forwarding(request):
    forward = Forward.objects.filter(account=request.account).first()
    initial = {"targets": "\n".join(forward.targets.values_list("address", flat=True)) if forward else "",
               "keep_copy": forward.keep_copy if forward else True}
    form = forms.ForwardingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            set_forward(request.account.address, form.cleaned_data["targets"],
                        keep_copy=form.cleaned_data["keep_copy"])
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            return _saved(request, "webmail:settings_forwarding")
    return _page(request, "forwarding.html", "forwarding", form=form)


@account_required
@password_again
def app_passwords(request):
    form = forms.AppPasswordForm(request.POST or None)
    secret = created = None
    if request.method == "POST" and form.is_valid():
        try:
            created, secret = create_app_password(request.account.address, form.cleaned_data["name"])
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            form = forms.AppPasswordForm()  # the secret is shown once, in this response only
    rows = AppPassword.objects.filter(account=request.account).only("id", "name", "created", "last_used")
    return _page(request, "app_passwords.html", "app_passwords", form=form, rows=rows, secret=secret,
                 created=created)


@require_POST
@account_required
def delete_app_password(request, app_password_id):
    row = get_object_or_404(AppPassword, pk=app_password_id, account=request.account)
    remove_app_password(request.account.address, row.pk)
    messages.success(request, _("The app password %(name)s was deleted.") % {"name": row.name})
    return redirect("webmail:settings_app_passwords")


@account_required
@password_again
def security(request):
    form = forms.RecoveryForm(request.POST or None, initial={"email": recovery_address(request.account.user)})
    if request.method == "POST" and form.is_valid():
        try:
            set_recovery_address(request.account, form.cleaned_data["email"])
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            return _saved(request, "webmail:settings_security")
    return _security_page(request, form=form)


@require_POST
@account_required
@password_again
def mail_programs(request):
    form = forms.MailProgramsForm(request.POST)
    if form.is_valid():
        set_app_passwords_only(request.account.address, form.cleaned_data["app_passwords_only"])
        return _saved(request, "webmail:settings_security")
    return _security_page(request, mail_programs_form=form)


def _security_page(request, *, form=None, mail_programs_form=None):
    account = request.account
    form = form or forms.RecoveryForm(initial={"email": recovery_address(account.user)})
    mail_programs_form = mail_programs_form or forms.MailProgramsForm(
        initial={"app_passwords_only": account.app_passwords_only})
    return _page(request, "security.html", "security", form=form, mail_programs_form=mail_programs_form,
                 app_passwords_only=app_passwords_only(account), domain_requires=account.domain.app_passwords_only)
