"""What the webmail keeps per mail account beyond the directory and the store.

The display name lives on the directory's Account (mail clients see it too); the rest
here only shapes the browser: signature, time zone, language, undo-send delay, how the
list looks, and whose remote images may load.
"""
import zoneinfo

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mailcore.directory.models import Account

MAX_UNDO_SEND_SECONDS = 30
PAGE_SIZES = [25, 50, 100, 200]


def time_zone_choices():
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


def known_time_zone(name: str) -> str:
    """name if it is an IANA zone this server knows, else "" (a browser may send anything)."""
    name = (name or "").strip()
    if not name or len(name) > 64 or name not in zoneinfo.available_timezones():
        return ""
    return name


class Preferences(models.Model):
    account = models.OneToOneField(Account, on_delete=models.CASCADE, primary_key=True,
                                   related_name="webmail_preferences")
    signature = models.TextField(_("signature"), blank=True, max_length=4000)
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True,
                                 help_text=_("Empty: your browser's time zone."))
    # What the browser said last (time-zone.js); used while time_zone is empty.
    browser_time_zone = models.CharField(max_length=64, blank=True, default="", editable=False)
    language = models.CharField(_("language"), max_length=8, blank=True, choices=settings.LANGUAGES,
                                help_text=_("Empty: the browser's language."))
    undo_send_seconds = models.PositiveSmallIntegerField(
        _("undo send delay"), default=10, validators=[MaxValueValidator(MAX_UNDO_SEND_SECONDS)],
        help_text=_("Seconds during which a sent message can be taken back; 0 sends at once."))
    conversations = models.BooleanField(_("group messages into conversations"), default=False)
    page_size = models.PositiveSmallIntegerField(
        _("messages per page"), default=50, choices=[(n, str(n)) for n in PAGE_SIZES])
    remote_content = models.BooleanField(
        _("always load remote images"), default=False,
        help_text=_("Remote images let senders see when and where you read their mail."))

    class Meta:
        verbose_name = _("webmail preferences")
        verbose_name_plural = _("webmail preferences")


class TrustedSender(models.Model):
    """A sender whose remote images this account always loads."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    address = models.CharField(_("address"), max_length=320)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "address"], name="trusted_sender_unique")]


def preferences_for(account: Account) -> Preferences:
    """The account's preferences, created with the defaults on first use."""
    preferences, _created = Preferences.objects.get_or_create(account=account)
    return preferences
