"""Who may use the webmail, and the mail account a request acts for.

Every webmail view is decorated with account_required: the user is signed in and owns an
active mail account at an active domain. Objects (folders, messages, drafts) are then
always looked up through request.account, so guessing another account's ids finds nothing.
"""
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404

from mailcore.directory.models import Account
from mailcore.store.lookup import folder_by_id
from mailcore.store.models import Folder


def account_of(user) -> Account | None:
    if not user.is_authenticated:
        return None
    return Account.objects.select_related("domain", "user").filter(user=user).first()


def usable_account(user) -> Account | None:
    """The user's mail account if it may use the webmail now (it and its domain active)."""
    account = account_of(user)
    if account is None or not (account.active and account.domain.active):
        return None
    return account


def account_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        account = usable_account(request.user)
        if account is None:
            raise PermissionDenied
        request.account = account
        return view(request, *args, **kwargs)

    return wrapper


def folder_or_404(request, folder_id: int) -> Folder:
    folder = folder_by_id(request.account.pk, folder_id)
    if folder is None:
        raise Http404
    return folder
