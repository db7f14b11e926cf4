"""Who may use the control panel, and which domains each admin may see.

Three roles (docs/panel.md): a superadmin (User.is_superuser) sees everything; a domain
admin holds DomainAdmin grants and sees only those domains and their objects; a mail user
has neither and belongs in the webmail. Every panel view is decorated with admin_required
or superadmin_required, and every object is looked up through managed_domains(), so a
domain admin who guesses another domain's ids or names gets a 404, never the object.
"""
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404

from mailcore.audit import log as audit_log
from mailcore.directory.addresses import normalize_domain
from mailcore.directory.models import Account, Alias, Domain


def is_panel_admin(user) -> bool:
    return user.is_authenticated and user.is_active and (
        user.is_superuser or user.domain_grants.exists()
    )


def admin_required(view):
    """Superadmins and domain admins; sets request.is_superadmin."""
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_panel_admin(request.user):
            raise PermissionDenied
        request.is_superadmin = request.user.is_superuser
        return view(request, *args, **kwargs)

    return wrapper


def superadmin_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (request.user.is_active and request.user.is_superuser):
            raise PermissionDenied
        request.is_superadmin = True
        return view(request, *args, **kwargs)

    return wrapper


def managed_domains(user):
    """The domains this user administers, as a queryset (all of them for a superadmin)."""
    if user.is_superuser:
        return Domain.objects.all()
    return Domain.objects.filter(admin_grants__user=user)


def of_managed_domains(queryset, user):
    """queryset's rows (accounts, aliases) in the user's domains. A superadmin's is left
    unfiltered: an IN over every domain would lead the database away from the list's
    reading-order index into sorting the whole table."""
    return queryset if user.is_superuser else queryset.filter(domain__in=managed_domains(user))


def domain_or_404(request, name: str) -> Domain:
    """A managed domain by name (U-label or A-label)."""
    try:
        alabel = normalize_domain(name)
    except ValidationError:
        raise Http404 from None
    return get_object_or_404(managed_domains(request.user), name=alabel)


def account_or_404(request, pk: int) -> Account:
    return get_object_or_404(
        Account.objects.select_related("domain", "user").filter(domain__in=managed_domains(request.user)), pk=pk
    )


def holds_power_beyond(account: Account, user) -> bool:
    """Whether the account's own user could do more than `user` can: a superadmin, or a
    domain admin with a grant on a domain that `user` does not manage."""
    if user.is_superuser or account.user_id is None:
        return False
    owner = account.user
    if owner.is_superuser or owner.is_staff:
        return True
    return owner.domain_grants.exclude(domain__in=managed_domains(user)).exists()


def account_to_change_or_404(request, pk: int) -> Account:
    """An account the acting admin may change: its password, app passwords, forwarding,
    rules, state, or delete it. A domain admin may not change an account whose user
    holds more power than theirs (issue 16: resetting the password of an admin of
    another domain, then signing in as them, would be a way into that domain)."""
    account = account_or_404(request, pk)
    if holds_power_beyond(account, request.user):
        raise PermissionDenied
    return account


def alias_or_404(request, pk: int) -> Alias:
    return get_object_or_404(
        Alias.objects.select_related("domain").filter(domain__in=managed_domains(request.user)), pk=pk
    )


def client_ip(request) -> str | None:
    # Behind a proxy, the operator sets the proxy to overwrite REMOTE_ADDR (docs/running.md).
    return request.META.get("REMOTE_ADDR")


def audit(request, action: str, target, *, domain: str = "", before: dict | None = None,
          after: dict | None = None):
    """Record an admin change made through this request (who, what, from where)."""
    object_type = action.split(".", 1)[0]
    return audit_log.record(request.user, action, object_type, str(target), ip=client_ip(request),
                            domain=domain, before=before, after=after)
