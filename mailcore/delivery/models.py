"""The mail queue: every accepted message and each of its recipients until delivered.

The database, not the broker, holds the truth (DESIGN.md): a message is acknowledged
(250 after DATA) only once its blob and these rows are committed, and a recipient's
status changes in the same transaction as its delivery, so a crash at any moment
neither loses nor duplicates mail.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _

from mailcore.directory.models import Account
from mailcore.store.models import Blob


class QueuedMessage(models.Model):
    """One message as received: its body (a blob), envelope sender and where it came from."""

    class Source(models.TextChoices):
        MX = "mx", _("incoming (MX)")
        SUBMISSION = "submission", _("submission")
        RELAY = "relay", _("application relay")
        WEBMAIL = "webmail", _("webmail")
        FORWARD = "forward", _("forwarded")
        BOUNCE = "bounce", _("delivery status notification")
        SYSTEM = "system", _("sent by the server")  # Django's mail: password reset links
        AUTO_REPLY = "autoreply", _("automatic reply")  # vacation (vacation.py)

    blob = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="+")
    size = models.PositiveBigIntegerField()
    mail_from = models.CharField(_("envelope sender"), max_length=320, blank=True)  # "" = null reverse-path
    source = models.CharField(max_length=16, choices=Source.choices)
    account = models.ForeignKey(Account, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The hosted domain whose admins see this mail leave (panel activity): the sending
    # account's, or the forwarding address's. Never the envelope sender's: anyone can
    # write any MAIL FROM. "" for mail no domain sent (MX, bounces, the server's own).
    owner_domain = models.CharField(max_length=253, blank=True, db_index=True)
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    helo = models.CharField(max_length=255, blank=True)
    smtputf8 = models.BooleanField(default=False)
    received_at = models.DateTimeField()
    message_id = models.CharField(_("message ID"), max_length=998, blank=True)  # for the delivery log
    # The filter scan at DATA (mailcore/filters/scan.py): the spam score, and each rule's part in it.
    spam_score = models.FloatField(_("spam score"), null=True, blank=True)
    spam_report = models.JSONField(_("spam report"), null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["received_at"], name="queued_received")]  # the delivery log's order
        verbose_name = _("queued message")
        verbose_name_plural = _("queued messages")


class QueueRecipient(models.Model):
    """One envelope recipient of a queued message and what became of it."""

    class Kind(models.TextChoices):
        LOCAL = "local", _("local")
        REMOTE = "remote", _("remote")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        DEFERRED = "deferred", _("deferred")  # a temporary failure; retried at next_attempt
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")  # permanent failure or expired; bounced if possible

    message = models.ForeignKey(QueuedMessage, on_delete=models.CASCADE, related_name="recipients")
    address = models.CharField(_("recipient"), max_length=320)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    domain = models.CharField(max_length=253, blank=True)  # remote: the destination, for batching
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt = models.DateTimeField()
    last_result = models.TextField(blank=True)
    # Deliver to this address's mailbox only, without expanding it again: the retry of one
    # mailbox of an alias whose other mailboxes already have their copy.
    mailbox_only = models.BooleanField(default=False)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("queue recipient")
        verbose_name_plural = _("queue recipients")
        indexes = [
            models.Index(fields=["kind", "status", "next_attempt"], name="queue_due"),
            # The delivery log's domain scope and status filter.
            models.Index(fields=["domain"], name="queue_recipient_domain"),
            models.Index(fields=["status"], name="queue_recipient_status"),
        ]


class ScheduledMessage(models.Model):
    """A message a user sends later: scheduled send, and undo send's short wait.

    The body is a blob like any queued message's; the row is the truth, so a restart of
    every process loses nothing and sends nothing twice (delivery/schedule.py).
    """

    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    blob = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="+")
    recipients = models.JSONField(default=list)
    send_at = models.DateTimeField(_("send at"))
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.WAITING)
    queued_message_id = models.BigIntegerField(null=True, blank=True)  # the queue entry once sent
    error = models.TextField(blank=True)
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["status", "send_at"], name="scheduled_due")]
        verbose_name = _("scheduled message")
        verbose_name_plural = _("scheduled messages")


class VacationReply(models.Model):
    """An account's automatic reply while away (vacation.py applies the RFC 3834 rules)."""

    account = models.OneToOneField(Account, on_delete=models.CASCADE, primary_key=True, related_name="vacation")
    enabled = models.BooleanField(_("send automatic replies"), default=False)
    subject = models.CharField(_("subject"), max_length=200, blank=True,
                               help_text=_("Empty: \"Auto:\" and the subject of the message answered."))
    body = models.TextField(_("message"), max_length=8000, blank=True)
    start_date = models.DateField(_("first day"), null=True, blank=True)
    end_date = models.DateField(_("last day"), null=True, blank=True)
    interval_days = models.PositiveSmallIntegerField(
        _("days between replies to one sender"), default=7,
        help_text=_("One sender gets at most one reply in this many days."))
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("vacation reply")
        verbose_name_plural = _("vacation replies")


class VacationLog(models.Model):
    """When an account last auto-replied to a sender (the once-per-N-days memory)."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    sender = models.CharField(max_length=320)
    replied_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "sender"], name="vacation_log_unique")]


class MailRule(models.Model):
    """One server-side rule of an account, run in `position` order at local delivery.

    conditions: [{"field": "from"|"to"|"subject"|"size"|"header", "header": name,
    "op": ..., "value": ...}]; actions: [{"action": "move", "folder": ...}, {"action":
    "mark_read"}, {"action": "flag"}, {"action": "forward", "address": ...},
    {"action": "discard"}, {"action": "stop"}]. user_rules.py gives them meaning.
    """

    class Match(models.TextChoices):
        ALL = "all", _("all conditions")
        ANY = "any", _("any condition")

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="mail_rules")
    position = models.PositiveIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=100)
    active = models.BooleanField(_("active"), default=True)
    match = models.CharField(_("match"), max_length=3, choices=Match.choices, default=Match.ALL)
    conditions = models.JSONField(_("conditions"), default=list)
    actions = models.JSONField(_("actions"), default=list)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["account", "position", "id"]
        verbose_name = _("mail rule")
        verbose_name_plural = _("mail rules")

    def __str__(self):
        return self.name


class MtaStsPolicy(models.Model):
    """A destination domain's MTA-STS policy (RFC 8461 §5.1), cached for its max_age.

    Kept in the database, not in a process: every worker and node uses the policy once
    seen, so blocking the policy host later cannot downgrade delivery (outbound/mta_sts.py).
    """

    domain = models.CharField(max_length=253, unique=True)  # A-label, lower case
    policy_id = models.CharField(max_length=32)
    mode = models.CharField(max_length=7)  # enforce | testing | none
    mx = models.JSONField(default=list)
    max_age = models.PositiveIntegerField()
    fetched = models.DateTimeField()
    expires = models.DateTimeField()

    def __str__(self):
        return f"{self.domain} ({self.mode}, id {self.policy_id})"

    def policy(self):
        from .outbound.mta_sts import Policy

        return Policy(self.policy_id, self.mode, tuple(self.mx), self.max_age)
