"""API tokens: make, revoke and check the bearer tokens of the REST API (docs/api.md).

A token reads `hopthu_<prefix>_<secret>`: the prefix (10 hex digits) finds the row, and
only the SHA-256 of the whole token is stored. The secret is 256 random bits, not a human
password, so a fast hash cannot be brute-forced; a slow one (PBKDF2, as app passwords
use) would cost a second or more of CPU on every API request. A token acts as its
owner, within the owner's role at the moment of each request: a domain admin who loses
a grant loses it through their tokens too. It stops at its expiry, at revocation, and
when its owner is disabled.
"""
import hashlib
import hmac
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ApiToken

TOKEN_PREFIX = "hopthu_"  # noqa: S105 (the visible start of every token, not a secret)
EXPIRY_DAYS = (7, 30, 90, 365)  # the choices offered; a token never lives longer than a year
LAST_USED_PRECISION = timedelta(minutes=1)  # at most one write a minute per token for last_used


class InvalidToken(Exception):
    """The bearer token is unknown, revoked, expired, or its owner is disabled (one answer for all)."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _error(field, message, **params):
    return ValidationError({field: message % params if params else message})


@transaction.atomic
def create_token(user, name, *, days: int) -> tuple[ApiToken, str]:
    """Make a token for user, valid for `days` days; return it with the token text, shown once."""
    name = (name or "").strip()
    if not name:
        raise _error("name", _("Give the token a name, such as the script that uses it."))
    if len(name) > 100:
        raise _error("name", _("The name is longer than 100 characters."))
    if days not in EXPIRY_DAYS:
        raise _error("days", _("Choose how long the token lasts."))
    if ApiToken.objects.filter(user=user, name=name, revoked__isnull=True).exists():
        raise _error("name", _("You already have a token named %(name)s."), name=name)
    ApiToken.objects.filter(user=user, name=name).delete()  # a revoked one of the same name
    prefix = secrets.token_hex(5)
    token = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    row = ApiToken.objects.create(user=user, name=name, prefix=prefix, secret_hash=hash_token(token),
                                  expires=timezone.now() + timedelta(days=days))
    return row, token


@transaction.atomic
def revoke_token(user, token_id) -> ApiToken:
    """Revoke one of user's tokens: requests with it are refused from now on."""
    row = ApiToken.objects.select_for_update().filter(user=user, pk=token_id, revoked__isnull=True).first()
    if row is None:
        raise _error("token", _("There is no such token."))
    row.revoked = timezone.now()
    row.save(update_fields=["revoked"])
    return row


def live_tokens(user):
    """The user's tokens that still work, newest first."""
    return ApiToken.objects.filter(user=user, revoked__isnull=True, expires__gt=timezone.now())


def authenticate(token: str) -> ApiToken:
    """The live token this text is, with its owner loaded; raise InvalidToken otherwise."""
    if not token.startswith(TOKEN_PREFIX):
        raise InvalidToken
    prefix, _sep, _secret = token[len(TOKEN_PREFIX):].partition("_")
    row = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if row is None or not hmac.compare_digest(row.secret_hash, hash_token(token)):
        raise InvalidToken
    now = timezone.now()
    if row.revoked is not None or row.expires <= now or not _owner_active(row.user):
        raise InvalidToken
    if row.last_used is None or now - row.last_used > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=row.pk).update(last_used=now)
    return row


def _owner_active(user) -> bool:
    if not user.is_active:
        return False
    account = getattr(user, "mail_account", None) if not user.is_superuser else None
    # A mail user's token stops with the account or its domain (an admin's works by grants).
    if account is not None and not user.domain_grants.exists():
        return account.active and account.domain.active
    return True
