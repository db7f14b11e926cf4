"""What the filters keep: each domain's policy, the Bayesian tokens, quarantine, greylisting."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from mailcore.directory.models import Account, Domain
from mailcore.store.models import Blob

DEFAULT_BLOCKED_EXTENSIONS = "exe scr js jse vbs vbe bat cmd com pif cpl jar msi msp hta lnk reg ps1 wsf wsh iso img"
DEFAULT_BLOCKED_TYPES = (
    "application/x-msdownload application/x-dosexec application/x-ms-installer application/java-archive "
    "application/x-ms-shortcut application/hta"
)


class FilterPolicy(models.Model):
    """A domain's filtering choices; a domain without a row uses the defaults (policy_for)."""

    class Engine(models.TextChoices):
        BUILTIN = "builtin", _("built-in scorer")
        RSPAMD = "rspamd", _("rspamd")

    class Hold(models.TextChoices):
        REJECT = "reject", _("reject at SMTP time")
        QUARANTINE = "quarantine", _("quarantine")

    class ScannerDown(models.TextChoices):
        TEMPFAIL = "tempfail", _("ask the sender to try again later")
        ACCEPT = "accept", _("deliver unscanned")

    domain = models.OneToOneField(Domain, on_delete=models.CASCADE, primary_key=True, related_name="filter_policy")
    engine = models.CharField(_("spam engine"), max_length=8, choices=Engine.choices, default=Engine.BUILTIN)
    header_score = models.FloatField(_("add X-Spam headers from score"), default=5.0)
    junk_score = models.FloatField(_("deliver to Junk from score"), default=6.0)
    reject_score = models.FloatField(_("reject at SMTP time from score"), default=15.0,
                                     help_text=_("0 never rejects."))
    greylisting = models.BooleanField(_("greylisting"), default=False)
    virus_action = models.CharField(_("infected mail"), max_length=10, choices=Hold.choices, default=Hold.REJECT)
    scanner_down = models.CharField(_("when the virus scanner is down"), max_length=8,
                                    choices=ScannerDown.choices, default=ScannerDown.TEMPFAIL)
    blocked_extensions = models.TextField(_("blocked file extensions"), blank=True,
                                          default=DEFAULT_BLOCKED_EXTENSIONS)
    blocked_types = models.TextField(_("blocked content types"), blank=True, default=DEFAULT_BLOCKED_TYPES)
    attachment_action = models.CharField(_("blocked attachments"), max_length=10, choices=Hold.choices,
                                         default=Hold.REJECT)
    quarantine_days = models.PositiveIntegerField(_("keep quarantined mail for (days)"), default=30)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("filter policy")
        verbose_name_plural = _("filter policies")


class BayesCorpus(models.Model):
    """How many messages trained one classifier.

    owner is 0 for the global classifier and the account's id for a personal one: an
    integer rather than a nullable foreign key, because NULLs never collide in a unique
    index and the global row must be unique too. bayes.py removes an account's rows.
    """

    owner = models.PositiveBigIntegerField(unique=True)
    spam = models.PositiveBigIntegerField(default=0)
    ham = models.PositiveBigIntegerField(default=0)


class BayesToken(models.Model):
    """Counts of one token (a 63-bit hash) in the trained spam and ham of one owner."""

    owner = models.PositiveBigIntegerField()  # 0: global; else an account id (see BayesCorpus)
    token = models.BigIntegerField()
    spam = models.PositiveIntegerField(default=0)
    ham = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "token"], name="bayes_token_unique")]


class BayesTrained(models.Model):
    """A message body already learnt, and as what: moving it back unlearns before relearning."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64)
    spam = models.BooleanField()
    trained = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "digest"], name="bayes_trained_unique")]


class QuarantinedMessage(models.Model):
    """A message held instead of delivered, with why; released mail is queued unchanged."""

    class Kind(models.TextChoices):
        SPAM = "spam", _("spam")
        VIRUS = "virus", _("virus")
        POLICY = "policy", _("blocked attachment")

    class Status(models.TextChoices):
        HELD = "held", _("held")
        RELEASED = "released", _("released")
        DELETED = "deleted", _("deleted")

    blob = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="+")
    size = models.PositiveBigIntegerField()
    mail_from = models.CharField(_("envelope sender"), max_length=320, blank=True)
    subject = models.CharField(_("subject"), max_length=998, blank=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    reason = models.TextField(_("reason"))
    score = models.FloatField(null=True, blank=True)
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    helo = models.CharField(max_length=255, blank=True)
    received_at = models.DateTimeField(_("received"), db_index=True)
    expires_at = models.DateTimeField(_("expires"), db_index=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.HELD)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("quarantined message")
        verbose_name_plural = _("quarantined messages")


class QuarantineRecipient(models.Model):
    """One envelope recipient of a held message; users see what was held for their own address."""

    message = models.ForeignKey(QuarantinedMessage, on_delete=models.CASCADE, related_name="recipients")
    address = models.CharField(_("recipient"), max_length=320)
    domain = models.CharField(max_length=253, db_index=True)  # A-label of the hosted domain
    account = models.ForeignKey(Account, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")


class GreylistEntry(models.Model):
    """One (client network, sender, recipient) triplet seen, and whether it has passed (RFC 6647)."""

    key = models.CharField(max_length=64, unique=True)  # sha256 of the triplet
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField(db_index=True)
    passed = models.BooleanField(default=False)
