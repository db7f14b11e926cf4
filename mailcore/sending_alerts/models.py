"""What the sending alerts remember per account: hourly counts, the addresses it wrote to,
the networks it signed in from, and whether its outbound mail is held (docs/sending-alerts.md)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mailcore.directory.models import Account


class SendingHour(models.Model):
    """What one account sent in one clock hour: one row updated once per queued message."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    hour = models.DateTimeField(_("hour"))  # the hour's start, UTC
    messages = models.PositiveIntegerField(_("messages"), default=0)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    new_recipients = models.PositiveIntegerField(_("new recipients"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "hour"], name="sending_hour_unique")]
        verbose_name = _("sending hour")
        verbose_name_plural = _("sending hours")


class KnownRecipient(models.Model):
    """An address this account has written to: the next message to it is no "new recipient"."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    address = models.CharField(_("recipient"), max_length=320)
    first_sent = models.DateTimeField(_("first sent"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "address"], name="known_recipient_unique")]
        verbose_name = _("known recipient")
        verbose_name_plural = _("known recipients")


class SignInNetwork(models.Model):
    """A network (IPv4 /24, IPv6 /48) this account signed in from, and when last."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    network = models.CharField(_("network"), max_length=64)
    first_seen = models.DateTimeField(_("first seen"))
    last_seen = models.DateTimeField(_("last seen"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "network"], name="sign_in_network_unique")]
        verbose_name = _("sign-in network")
        verbose_name_plural = _("sign-in networks")


class SendingState(models.Model):
    """An account's sending flag: held (its remote mail stays queued) or not, and why."""

    class Reason(models.TextChoices):
        VOLUME = "volume", _("far more messages than usual")
        NEW_RECIPIENTS = "new_recipients", _("many new recipients")
        NEW_NETWORK = "new_network", _("sign-in from a new network")

    account = models.OneToOneField(Account, on_delete=models.CASCADE, related_name="sending_state",
                                   primary_key=True)
    held = models.BooleanField(_("sending held"), default=False, db_index=True)
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices, blank=True)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    held_at = models.DateTimeField(_("held at"), null=True, blank=True)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    # After a release, no new hold for what was already seen this hour ("Release").
    quiet_until = models.DateTimeField(null=True, blank=True)
    # "Release and trust": hourly figures up to these never hold the account again.
    trusted_messages = models.PositiveIntegerField(default=0)
    trusted_new_recipients = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("sending state")
        verbose_name_plural = _("sending states")
