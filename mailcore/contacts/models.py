"""Models: see the package docstring."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from mailcore.directory.models import Account


class Contact(models.Model):
    """An address an account has written to or received mail from."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    address = models.CharField(_("address"), max_length=320)  # lower case
    name = models.CharField(_("name"), max_length=200, blank=True)
    sent_count = models.PositiveIntegerField(default=0)
    received_count = models.PositiveIntegerField(default=0)
    last_used = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "address"], name="contact_unique_address")]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")


class Backfill(models.Model):
    """How far the account's received senders were copied from its store."""

    account = models.OneToOneField(Account, on_delete=models.CASCADE, primary_key=True, related_name="+")
    done = models.DateTimeField(auto_now_add=True)
    last_message_id = models.BigIntegerField(default=0)  # Message rows up to here are counted
