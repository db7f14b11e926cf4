"""How an account is reached: its password, its forwarding, its app passwords.

Each is a POST from the account page; a form with errors re-renders that page with the
errors next to the field. Audit entries say what changed, never a password.
"""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mailcore.auth.directory_password import change_directory_password, directory_account
from mailcore.auth.errors import DirectoryUnavailable
from mailcore.auth.reset import after_password_reset
from mailcore.directory import services
from mailcore.ldap.write import DirectoryWriteError
from mailcore.ldap.write import writable as directory_writable
from panel.fields import add_service_errors

from ..access import account_or_404, account_to_change_or_404, admin_required, audit
from .forms import AppPasswordForm, ForwardForm, PasswordForm
from .views import render_detail


@require_POST
@admin_required
def account_password(request, pk):
    account = account_to_change_or_404(request, pk)
    form = PasswordForm(request.POST)
    if account.ldap_dn and not directory_writable():
        # The password is the directory's and HopThu may not write there; a local one would
        # never be asked. With HOPTHU_LDAP_WRITABLE it is written to LDAP below.
        form.add_error(None, _("This account's password is kept in LDAP: change it there."))
    if form.is_valid():
        try:
            with transaction.atomic():
                if directory_account(account.user) is not None:
                    # The password is LDAP's: written there, or refused (docs/ldap.md).
                    change_directory_password(account, form.cleaned_data["password"])
                else:
                    services.set_password(account.address, form.cleaned_data["password"])
                # A reset takes back what the old password made (mailcore/auth/reset.py).
                revoked, ended = after_password_reset(account.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except (DirectoryWriteError, DirectoryUnavailable) as error:
            form.add_error(None, error.message)
    if not form.is_valid():
        return render_detail(request, account, status=400, password_form=form)
    audit(request, "account.password", account, domain=account.domain.name,
          after={"app_passwords_revoked": revoked, "sessions_ended": ended})
    messages.success(request, _("The password was changed. The account's app passwords were revoked and its "
                                "browser sessions signed out."))
    return redirect("panel:account_detail", pk=account.pk)


def _forward_state(account) -> dict:
    forward = getattr(account, "forward", None)
    if forward is None:
        return {"targets": [], "keep_copy": None}
    return {"targets": [t.address for t in forward.targets.all()], "keep_copy": forward.keep_copy}


@require_POST
@admin_required
def account_forward(request, pk):
    account = account_to_change_or_404(request, pk)
    form = ForwardForm(request.POST)
    before = _forward_state(account)
    if form.is_valid():
        try:
            services.set_forward(account.address, form.cleaned_data["targets"],
                                 keep_copy=form.cleaned_data["keep_copy"])
        except ValidationError as exc:
            add_service_errors(form, exc)
    if not form.is_valid():
        return render_detail(request, account, status=400, forward_form=form)
    account = account_or_404(request, pk)  # the forward was replaced
    after = _forward_state(account)
    if before != after:
        audit(request, "account.forward", account, domain=account.domain.name, before=before, after=after)
    messages.success(request, _("Forwarding saved.") if after["targets"] else _("Forwarding is off."))
    return redirect("panel:account_detail", pk=account.pk)


@require_POST
@admin_required
def app_password_create(request, pk):
    account = account_to_change_or_404(request, pk)
    form = AppPasswordForm(request.POST)
    if form.is_valid():
        try:
            app_password, plaintext = services.create_app_password(account.address, form.cleaned_data["name"])
        except ValidationError as exc:
            add_service_errors(form, exc)
    if not form.is_valid():
        return render_detail(request, account, status=400, app_password_form=form)
    audit(request, "account.app_password_create", account, domain=account.domain.name,
          after={"app_password": app_password.name})
    # Shown on this response only (not stored in plain text, not in a redirect URL).
    response = render_detail(request, account, new_app_password=(app_password, plaintext))
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@admin_required
def app_password_revoke(request, pk, app_pk):
    account = account_to_change_or_404(request, pk)
    app_password = get_object_or_404(account.app_passwords, pk=app_pk)
    services.remove_app_password(account.address, app_password.pk)
    audit(request, "account.app_password_revoke", account, domain=account.domain.name,
          before={"app_password": app_password.name})
    messages.success(request, _("The app password %(name)s was revoked.") % {"name": app_password.name})
    return redirect("panel:account_detail", pk=account.pk)
