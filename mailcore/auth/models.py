"""What the brute-force protection and the rate limits remember, shared by every process.

Rows are short-lived: lockout.purge_expired() and ratelimit.purge_expired() delete what
no longer counts.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LoginFailure(models.Model):
    """One failed login, kept while it counts towards a lockout (the failure window)."""

    remote_ip = models.CharField(_("remote address"), max_length=64)  # lockout.ip_key(): IPv6 by /64
    # The canonical address tried, whether or not it exists (so a lockout reveals nothing);
    # "" when the user name was no address at all, or once a success cleared it.
    username = models.CharField(_("user name"), max_length=320, blank=True)
    protocol = models.CharField(_("protocol"), max_length=16)
    created = models.DateTimeField(_("created"), db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["remote_ip", "created"], name="login_failure_ip"),
            models.Index(fields=["username", "created"], name="login_failure_user"),
        ]
        verbose_name = _("failed login")
        verbose_name_plural = _("failed logins")


class Lockout(models.Model):
    """A login name or a remote address refused until `until`, password or not."""

    class Scope(models.TextChoices):
        IP = "ip", _("remote address")
        ACCOUNT = "account", _("account")

    scope = models.CharField(_("scope"), max_length=8, choices=Scope.choices)
    key = models.CharField(_("key"), max_length=320)
    until = models.DateTimeField(_("until"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="lockout_unique_key")]
        verbose_name = _("lockout")
        verbose_name_plural = _("lockouts")


class RateWindow(models.Model):
    """The recent events of one rate limit, as counts per time bucket (see ratelimit.py)."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    buckets = models.JSONField(default=dict)  # {"<bucket number>": count}
    expires = models.DateTimeField(_("expires"), db_index=True)

    class Meta:
        verbose_name = _("rate limit window")
        verbose_name_plural = _("rate limit windows")


class ApiToken(models.Model):
    """A bearer token for the REST API (/api/v1/), acting as its owner within the owner's role.

    Only the SHA-256 of the secret is kept (mailcore/auth/api_tokens.py); `prefix` is the
    token's first characters, shown in lists so its owner can tell tokens apart.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name=_("owner"))
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)  # SHA-256 of the whole token
    created = models.DateTimeField(_("created"), auto_now_add=True)
    expires = models.DateTimeField(_("expires"))
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="api_token_unique_name")]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"
