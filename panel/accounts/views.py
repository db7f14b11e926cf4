"""Accounts: the list, creating one, its page (edit display name, quota, active) and deleting it.

Every account is reached through managed_domains (panel/access.py), so a domain admin
who guesses another domain's account id gets a 404. The rules themselves (limits,
duplicates, quota sums) are mailcore.directory.services'; these views map its errors
onto form fields and write an audit entry for each change.
"""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mailcore.audit.log import changed
from mailcore.directory import services
from mailcore.directory.addresses import address_to_unicode
from mailcore.directory.login_policy import set_app_passwords_only
from mailcore.directory.models import Account, Alias
from mailcore.ldap.write import writable as directory_writable
from panel.fields import add_service_errors

from ..access import (
    account_or_404,
    account_to_change_or_404,
    admin_required,
    audit,
    domain_or_404,
    managed_domains,
    of_managed_domains,
)
from ..listing import build_listing
from .forms import (
    AccountCreateForm,
    AccountEditForm,
    AppPasswordForm,
    DeleteForm,
    ForwardForm,
    PasswordForm,
    chosen_domain,
)

# Addresses and names in reading order (u2 before u10, Vietnamese collation): stored,
# indexed keys (mailcore/collation.py).
ACCOUNT_SORTS = {
    "address": "address_key",
    "display_name": "name_key",
    "quota": "quota",
    "used": "used_bytes",
    "last_login": "user__last_login",
    "active": "active",
}


def snapshot(account: Account) -> dict:
    """The fields an audit entry compares (never the password)."""
    return {"display_name": account.display_name, "quota": account.quota, "active": account.active,
            "app_passwords_only": account.app_passwords_only}


@admin_required
def account_list(request):
    domains = managed_domains(request.user)
    accounts = of_managed_domains(Account.objects.select_related("domain", "user"), request.user)
    params = {}
    if request.GET.get("domain"):
        domain = domain_or_404(request, request.GET["domain"])
        accounts, params = accounts.filter(domain=domain), {"domain": domain.name}
    listing = build_listing(request, accounts, sorts=ACCOUNT_SORTS, default="address",
                            search=("localpart", "domain__name", "display_name"), folded=("display_name_key",),
                            params=params)
    return render(request, "panel/accounts/account_list.html", {
        "listing": listing, "domains": domains.only("name"), "current_domain": params.get("domain", ""),
        "directory_writable": directory_writable(),
    })


@admin_required
def account_create(request):
    form = AccountCreateForm(request.POST or None, domains=managed_domains(request.user).only("name"))
    form.fields["domain"].initial = chosen_domain(request.GET.get("domain"), form.fields["domain"].choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = services.create_account(data["address"], data["password"], quota=data["quota"],
                                               display_name=data["display_name"])
        except ValidationError as exc:
            add_service_errors(form, exc, rename={"address": "localpart"})
        else:
            audit(request, "account.create", account, domain=account.domain.name, after=snapshot(account))
            messages.success(request, _("The account %(address)s was created.") % {"address": account})
            return redirect("panel:account_detail", pk=account.pk)
    return render(request, "panel/accounts/account_create.html", {"form": form})


def render_detail(request, account, status=200, **forms):
    """The account page, with any bound forms passed in (so their errors show)."""
    forward = getattr(account, "forward", None)
    forms.setdefault("edit_form", AccountEditForm(initial=snapshot(account), from_ldap=bool(account.ldap_dn)))
    forms.setdefault("password_form", PasswordForm())
    forms.setdefault("forward_form", ForwardForm(initial={
        "targets": "\n".join(address_to_unicode(t.address) for t in forward.targets.all()) if forward else "",
        "keep_copy": forward.keep_copy if forward else True}))
    forms.setdefault("app_password_form", AppPasswordForm())
    return render(request, "panel/accounts/account_detail.html", {
        "account": account, "forward": forward, "aliases": aliases_pointing_at(request, account),
        "app_passwords": account.app_passwords.all(), "directory_writable": directory_writable(), **forms,
    }, status=status)


def aliases_pointing_at(request, account):
    """Aliases (of domains this admin manages) with the account among their targets."""
    names = [account.domain.name, *account.domain.domain_aliases.values_list("name", flat=True)]
    forms = [f"{account.localpart}@{name}" for name in names]
    return (Alias.objects.filter(domain__in=managed_domains(request.user), targets__address__in=forms)
            .select_related("domain").distinct())


@admin_required
def account_detail(request, pk):
    account = account_or_404(request, pk)
    if request.method != "POST":
        return render_detail(request, account)
    account = account_to_change_or_404(request, pk)
    form = AccountEditForm(request.POST, initial=snapshot(account), from_ldap=bool(account.ldap_dn))
    if not form.is_valid():
        return render_detail(request, account, status=400, edit_form=form)
    before, data = snapshot(account), form.cleaned_data
    try:
        with transaction.atomic():  # all changes or none
            if not account.ldap_dn:  # else LDAP's (LDAP_OWNED_FIELDS): the form disabled them
                services.set_display_name(account.address, data["display_name"])
                services.set_quota(account.address, data["quota"])
                services.set_account_active(account.address, data["active"])
            account = set_app_passwords_only(account.address,
                                             data["app_passwords_only"] or account.app_passwords_only)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return render_detail(request, account, status=400, edit_form=form)
    old, new = changed(before, snapshot(account))
    if new:
        audit(request, "account.update", account, domain=account.domain.name, before=old, after=new)
    messages.success(request, _("Saved."))
    return redirect("panel:account_detail", pk=account.pk)


@admin_required
def account_delete(request, pk):
    account = account_to_change_or_404(request, pk)
    form = DeleteForm(request.POST or None, expected=(account.address, account.display_address.lower()))
    if request.method == "POST" and form.is_valid():
        try:
            services.remove_account(account.address)
        except ValidationError as exc:
            form.add_error(None, [m for messages_ in exc.message_dict.values() for m in messages_])
        else:
            audit(request, "account.delete", account, domain=account.domain.name, before=snapshot(account))
            messages.success(request, _("The account %(address)s and its mail were deleted.") % {"address": account})
            return redirect("panel:account_list")
    return render(request, "panel/accounts/account_delete.html", {"account": account, "form": form})
