"""The directory: hosted domains, their aliases, accounts, aliases, forwards, app passwords.

Every value is stored canonical (see addresses.py). Changes go through services.py,
which validates and writes inside one transaction; the models hold no write logic but
keeping derived keys in step in save(): the panel's accent-blind search key
(Account.display_name_key) and the reading-order sort keys the panel's lists are paged
by (mailcore/collation.py: sort_key, address_key, name_key).
"""
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from mailcore.collation import address_key, stored_key
from mailcore.folding import search_key

from .addresses import domain_to_unicode


def _saving(kwargs, *names) -> bool:
    """Whether a save() with these arguments writes any of the named fields."""
    update_fields = kwargs.get("update_fields")
    return update_fields is None or bool(set(update_fields) & set(names))


def _also_update(kwargs, derived: dict) -> None:
    """Add the keys derived from the fields a save(update_fields=...) writes."""
    update_fields = kwargs.get("update_fields")
    if update_fields is None:
        return
    extra = set()
    for name in set(update_fields) & set(derived):
        keys = derived[name]
        extra.update((keys,) if isinstance(keys, str) else keys)
    kwargs["update_fields"] = {*update_fields, *extra}


class User(AbstractUser):
    """A login. For a mail account the username is its full address (A-label domain).

    The 150-character limit and the ASCII-leaning validator of Django's user would refuse
    valid addresses (RFC 5321 allows 254 octets, RFC 6531 UTF-8), so the directory
    validates usernames instead.
    """

    username = models.CharField(_("username"), max_length=254, unique=True)


class Domain(models.Model):
    name = models.CharField(_("name"), max_length=253, unique=True, help_text=_("A-label"))
    active = models.BooleanField(_("active"), default=True)
    default_quota = models.BigIntegerField(
        _("default mailbox quota"), default=0, help_text=_("Bytes; 0 means unlimited.")
    )
    max_accounts = models.PositiveIntegerField(
        _("maximum accounts"), default=0, help_text=_("0 means unlimited.")
    )
    max_aliases = models.PositiveIntegerField(
        _("maximum aliases"), default=0, help_text=_("0 means unlimited.")
    )
    total_quota = models.BigIntegerField(
        _("total quota"), default=0, help_text=_("Bytes shared by all accounts; 0 means unlimited.")
    )
    dmarc_reject = models.BooleanField(
        _("honour DMARC reject"), default=True,
        help_text=_("Refuse incoming mail that fails DMARC when the sender's domain publishes p=reject."),
    )
    # mailcore.auth.policy: True makes every account of the domain app-passwords-only.
    app_passwords_only = models.BooleanField(
        _("mail programs only with app passwords"), default=False,
        help_text=_("Every account of the domain: IMAP, POP3 and SMTP accept an app password only, never the "
                    "account's own password."),
    )
    # Sending alerts (mailcore/sending_alerts, docs/sending-alerts.md): when to hold an account's mail.
    send_alert_floor = models.PositiveIntegerField(
        _("hourly messages always allowed"), default=100,
        help_text=_("An account is never held for sending fewer messages than this in an hour."),
    )
    send_alert_factor = models.PositiveIntegerField(
        _("times the usual hourly volume"), default=5,
        help_text=_("Hold an account sending more than this many times its usual busiest hours (0: never)."),
    )
    send_alert_new_recipients = models.PositiveIntegerField(
        _("new recipients per hour"), default=50,
        help_text=_("Hold an account writing to more addresses it never wrote to before in an hour (0: never)."),
    )
    send_alert_new_network = models.BooleanField(
        _("hold after a sign-in from a new network"), default=True,
        help_text=_("Hold an account's outbound mail when it signs in from a network not seen for 30 days."),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    # The name as people read it (U-label) in reading order; kept by save().
    sort_key = models.BinaryField(default=b"", editable=False)

    class Meta:
        ordering = ["sort_key", "name"]
        indexes = [models.Index(fields=["sort_key"], name="domain_reading_order")]
        verbose_name = _("domain")
        verbose_name_plural = _("domains")

    def __str__(self):
        return self.unicode_name

    def save(self, *args, **kwargs):
        self.sort_key = stored_key(self.unicode_name)
        _also_update(kwargs, {"name": "sort_key"})
        super().save(*args, **kwargs)

    @property
    def unicode_name(self):
        return domain_to_unicode(self.name)


class DomainAdmin(models.Model):
    """A grant: this user administers this domain, within the limits a superadmin set on it.

    Superadmins (User.is_superuser) need no grant; mail users have none.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="domain_grants", verbose_name=_("user")
    )
    domain = models.ForeignKey(
        Domain, on_delete=models.CASCADE, related_name="admin_grants", verbose_name=_("domain")
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "domain"], name="domain_admin_unique")]
        verbose_name = _("domain administrator")
        verbose_name_plural = _("domain administrators")


class DomainAlias(models.Model):
    """Mail for any address at `name` is handled as mail for the same address at `target`."""

    name = models.CharField(_("name"), max_length=253, unique=True)
    target = models.ForeignKey(
        Domain, on_delete=models.CASCADE, related_name="domain_aliases", verbose_name=_("target")
    )
    active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("domain alias")
        verbose_name_plural = _("domain aliases")

    def __str__(self):
        return f"{domain_to_unicode(self.name)} → {self.target}"


class AppPasswordsOnly(models.TextChoices):
    """An account's own word on mail programs (mailcore.auth.policy has the whole rule)."""

    DEFAULT = "default", _("When two-factor authentication is on")
    ON = "on", _("Always")
    OFF = "off", _("Never, unless the domain requires it")


class Account(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_account"
    )
    localpart = models.CharField(_("local part"), max_length=64)
    domain = models.ForeignKey(
        Domain, on_delete=models.PROTECT, related_name="accounts", verbose_name=_("domain")
    )
    display_name = models.CharField(_("display name"), max_length=200, blank=True)
    # display_name folded (folding.search_key), kept by save(): the panel's search finds
    # "Nguyễn" by "nguyen" on SQLite and PostgreSQL alike.
    display_name_key = models.CharField(max_length=400, blank=True, default="", editable=False)
    # Reading order (mailcore/collation.py), kept by save(): the address (domain as read,
    # then local part, u2 before u10) and the display name (Vietnamese collation).
    address_key = models.BinaryField(default=b"", editable=False)
    name_key = models.BinaryField(default=b"", editable=False)
    quota = models.BigIntegerField(_("quota"), default=0, help_text=_("Bytes; 0 means unlimited."))
    active = models.BooleanField(_("active"), default=True)
    app_passwords_only = models.CharField(
        _("mail programs only with app passwords"), max_length=8, choices=AppPasswordsOnly.choices,
        default=AppPasswordsOnly.DEFAULT,
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    # The LDAP entry this account comes from (its DN, lower-cased; docs/ldap.md), or "":
    # the sync owns the display name, quota, enabled flag and aliases of such an account.
    ldap_dn = models.CharField(_("LDAP entry"), max_length=1000, blank=True, default="", db_index=True)
    # Kept in step with the store inside the same transactions as appends and expunges.
    used_bytes = models.BigIntegerField(_("used bytes"), default=0)
    message_count = models.BigIntegerField(_("messages"), default=0)

    class Meta:
        ordering = ["address_key", "id"]
        constraints = [
            models.UniqueConstraint(fields=["domain", "localpart"], name="account_unique_address")
        ]
        # The panel's lists, all domains or one (the row id breaks ties).
        indexes = [
            models.Index(fields=["address_key", "id"], name="account_reading_order"),
            models.Index(fields=["domain", "address_key", "id"], name="account_domain_reading_order"),
            models.Index(fields=["name_key", "id"], name="account_name_order"),
            models.Index(fields=["domain", "name_key", "id"], name="account_domain_name_order"),
        ]
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self):
        return self.display_address

    def save(self, *args, **kwargs):
        if _saving(kwargs, "display_name"):
            self.display_name_key = search_key(self.display_name)[:400]
            self.name_key = stored_key(self.display_name)
        if _saving(kwargs, "localpart", "domain"):
            self.address_key = address_key(self.localpart, self.domain.unicode_name)
        _also_update(kwargs, {"display_name": ("display_name_key", "name_key"), "localpart": "address_key",
                              "domain": "address_key"})
        super().save(*args, **kwargs)

    @property
    def address(self):
        return f"{self.localpart}@{self.domain.name}"

    @property
    def display_address(self):
        return f"{self.localpart}@{self.domain.unicode_name}"

    @property
    def last_login(self):
        return self.user.last_login


class Alias(models.Model):
    """`localpart@domain` (or the catch-all `@domain` when localpart is "") → targets."""

    localpart = models.CharField(_("local part"), max_length=64, blank=True)
    domain = models.ForeignKey(
        Domain, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("domain")
    )
    active = models.BooleanField(_("active"), default=True)
    # The LDAP entry that lists this address as an alias of its account (lower-cased DN), or "".
    ldap_dn = models.CharField(_("LDAP entry"), max_length=1000, blank=True, default="", db_index=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    address_key = models.BinaryField(default=b"", editable=False)  # as Account.address_key

    class Meta:
        ordering = ["address_key", "id"]
        constraints = [
            models.UniqueConstraint(fields=["domain", "localpart"], name="alias_unique_address")
        ]
        indexes = [
            models.Index(fields=["address_key", "id"], name="alias_reading_order"),
            models.Index(fields=["domain", "address_key", "id"], name="alias_domain_reading_order"),
        ]
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")

    def __str__(self):
        return f"{self.localpart}@{self.domain.unicode_name}"

    def save(self, *args, **kwargs):
        if _saving(kwargs, "localpart", "domain"):
            self.address_key = address_key(self.localpart, self.domain.unicode_name)
        _also_update(kwargs, {"localpart": "address_key", "domain": "address_key"})
        super().save(*args, **kwargs)

    @property
    def address(self):
        return f"{self.localpart}@{self.domain.name}"


class AliasTarget(models.Model):
    alias = models.ForeignKey(Alias, on_delete=models.CASCADE, related_name="targets")
    address = models.CharField(_("target"), max_length=320)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["alias", "address"], name="alias_target_unique")
        ]


class Forward(models.Model):
    """Per-account forwarding; keep_copy also delivers to the account's own INBOX."""

    account = models.OneToOneField(Account, on_delete=models.CASCADE, related_name="forward")
    keep_copy = models.BooleanField(_("keep a local copy"), default=True)
    active = models.BooleanField(_("active"), default=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)


class ForwardTarget(models.Model):
    forward = models.ForeignKey(Forward, on_delete=models.CASCADE, related_name="targets")
    address = models.CharField(_("target"), max_length=320)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["forward", "address"], name="forward_target_unique")
        ]


class AppPassword(models.Model):
    """A separate password for one mail client, revocable without changing the main one."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="app_passwords")
    name = models.CharField(_("name"), max_length=100)
    password = models.CharField(max_length=256)  # Django password hash
    created = models.DateTimeField(_("created"), auto_now_add=True)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["created"]
        constraints = [
            models.UniqueConstraint(fields=["account", "name"], name="app_password_unique_name")
        ]


class DisabledGeneration(models.Model):
    """One counter, moved by every change of an account's or a domain's active state.

    Protocol sessions in every process compare it with the value they last read instead
    of reading their account at every command (directory/disabled.py). One row, pk 1.
    """

    value = models.BigIntegerField(default=0)
