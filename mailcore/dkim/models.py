"""DKIM keys of hosted domains (RFC 6376): selector and public key; the private half is a file.

DESIGN.md: secrets are generated under var/ and never leave it, so the database holds
only what is published in DNS anyway. keys.py makes, rotates and reads the keys.
"""
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mailcore.directory.models import Domain


class DkimKey(models.Model):
    """One key pair of a domain; the active one signs, retired ones stay published for a while."""

    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="dkim_keys", verbose_name=_("domain"))
    selector = models.CharField(_("selector"), max_length=63)  # one DNS label (RFC 1035 §2.3.4)
    public_key = models.TextField(_("public key"), help_text=_("Base64 of the DER public key: the p= tag."))
    key_file = models.CharField(max_length=320)  # the private key's file name under HOPTHU_DKIM_DIR
    created = models.DateTimeField(_("created"), auto_now_add=True)
    active = models.BooleanField(_("active"), default=True)
    retired = models.DateTimeField(_("retired"), null=True, blank=True)

    class Meta:
        ordering = ["domain__name", "-created"]
        constraints = [
            models.UniqueConstraint(fields=["domain", "selector"], name="dkim_unique_selector"),
            models.UniqueConstraint(fields=["domain"], condition=Q(active=True), name="dkim_one_active_key"),
        ]
        verbose_name = _("DKIM key")
        verbose_name_plural = _("DKIM keys")

    def __str__(self):
        return self.dns_name

    @property
    def dns_name(self) -> str:
        """The owner name of the TXT record (RFC 6376 §3.6.2.1)."""
        return f"{self.selector}._domainkey.{self.domain.name}"

    @property
    def dns_value(self) -> str:
        """The TXT record's text (RFC 6376 §3.6.1); longer than 255 octets, so DNS splits it."""
        return f"v=DKIM1; k=rsa; p={self.public_key}"
