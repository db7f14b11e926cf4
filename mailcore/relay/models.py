"""Relay grants: who may send through the relay port for applications and devices.

A grant belongs to one hosted domain and lets a client send mail as the sender addresses
it lists (each of them at that domain or one of its domain aliases), to any recipient,
within its own rate limit. A RelayToken is a user name and secret for SMTP AUTH (an
application, a server); a RelayNetwork admits clients by address, without AUTH (a
printer or scanner on the office network). Changes go through services.py.
"""
import ipaddress

from django.db import models
from django.utils.translation import gettext_lazy as _

from mailcore.directory.models import Domain


class RelayGrant(models.Model):
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="+", verbose_name=_("domain"))
    name = models.CharField(_("name"), max_length=100, help_text=_("What uses it, e.g. “invoices app”."))
    # Canonical addresses ("billing@example.vn") or a whole domain ("@example.vn").
    senders = models.JSONField(_("allowed senders"), default=list)
    rate_per_hour = models.PositiveIntegerField(_("messages per hour"), help_text=_("0 means unlimited."))
    active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["domain__name", "name"]

    def __str__(self):
        return f"{self.name} ({self.domain})"

    @property
    def rate_key(self) -> str:
        return f"relay-{self.kind}:{self.pk}"


class RelayToken(RelayGrant):
    kind = "token"
    username = models.CharField(_("user name"), max_length=64, unique=True)
    secret_hash = models.CharField(_("secret hash"), max_length=64)  # SHA-256 of a 192-bit random secret

    class Meta(RelayGrant.Meta):
        constraints = [models.UniqueConstraint(fields=["domain", "name"], name="relay_token_unique_name")]
        verbose_name = _("relay token")
        verbose_name_plural = _("relay tokens")


class RelayNetwork(RelayGrant):
    kind = "network"
    network = models.CharField(_("network"), max_length=64, help_text=_("An address or a CIDR network."))

    class Meta(RelayGrant.Meta):
        constraints = [models.UniqueConstraint(fields=["domain", "name"], name="relay_network_unique_name")]
        verbose_name = _("relay network")
        verbose_name_plural = _("relay networks")

    def contains(self, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        network = ipaddress.ip_network(self.network)
        return address.version == network.version and address in network
