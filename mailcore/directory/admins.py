"""Panel logins for domain admins and their grants (DomainAdmin), validated like services.py."""
import unicodedata

from django.db import transaction
from django.utils.translation import gettext as _

from .models import DomainAdmin, User
from .services import _check_password, _error, _get_domain


@transaction.atomic
def create_domain_admin(username, password) -> User:
    """A login for the panel only; mail addresses stay the usernames of mail accounts."""
    username = (username or "").strip()
    if not username:
        raise _error("username", _("A username is required."))
    if len(username) > User._meta.get_field("username").max_length:
        raise _error("username", _("The username is too long."))
    if "@" in username or any(c.isspace() or unicodedata.category(c) == "Cc" for c in username):
        raise _error("username", _("Use a name without @, spaces or control characters; to make a mail "
                                   "user an admin, choose their existing login instead."))
    if User.objects.filter(username__iexact=username).exists():
        raise _error("username", _("The login %(username)s is already taken."), username=username)
    user = User(username=username)
    _check_password(password, user)
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def grant_domain(user, name):
    """Let user administer the domain `name` (a no-op if they already do)."""
    domain = _get_domain(name)
    if user.is_superuser:
        raise _error("user", _("%(username)s is a superadmin and manages every domain already."),
                     username=user.get_username())
    if not user.is_active:
        raise _error("user", _("The login %(username)s is disabled."), username=user.get_username())
    grant, _created = DomainAdmin.objects.get_or_create(user=user, domain=domain)
    return grant


@transaction.atomic
def revoke_domain(user, name):
    domain = _get_domain(name)
    deleted, _unused = DomainAdmin.objects.filter(user=user, domain=domain).delete()
    if not deleted:
        raise _error("domain", _("%(username)s does not administer %(name)s."),
                     username=user.get_username(), name=domain.unicode_name)
