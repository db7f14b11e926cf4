"""Per-domain daily counts of mail events, kept for the panel's charts."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class DailyCount(models.Model):
    class Kind(models.TextChoices):
        RECEIVED = "received", _("received")
        SENT = "sent", _("sent")
        BOUNCED = "bounced", _("bounced")
        REJECTED = "rejected", _("rejected")
        SPAM = "spam", _("spam")
        VIRUS = "virus", _("virus")
        POLICY = "policy", _("policy rejection")

    domain = models.CharField(_("domain"), max_length=253)  # A-label
    day = models.DateField(_("day"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    count = models.PositiveBigIntegerField(_("count"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["domain", "day", "kind"], name="daily_count_unique")]
        indexes = [models.Index(fields=["domain", "day"], name="daily_count_domain_day")]
        verbose_name = _("daily count")
        verbose_name_plural = _("daily counts")
