"""A migration job, its source accounts, their folders' progress, and what was copied.

Progress is written as the copy goes (per folder: the last source UID copied under its
UIDVALIDITY), so a job whose worker died resumes where it stopped; CopiedMessage rows
commit in the same transaction as the message they record, so a resumed copy never
appends a message twice (jobs.py, copying.py).
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mailcore.directory.models import Account
from mailcore.store.models import Folder


class MigrationJob(models.Model):
    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    STATES = [(QUEUED, _("Waiting")), (RUNNING, _("Running")), (DONE, _("Finished")), (FAILED, _("Failed"))]
    IMAPS, STARTTLS, PLAIN = "imaps", "starttls", "plain"
    SECURITY = [(IMAPS, _("TLS (IMAPS)")), (STARTTLS, _("STARTTLS")), (PLAIN, _("None (loopback only)"))]
    # How each source account logs in: its own password; an admin through Dovecot's
    # master-user syntax "user*admin"; an admin then PROXYAUTH user (Cyrus, Zimbra).
    OWN_PASSWORD, MASTER_USER, PROXYAUTH = "password", "master", "proxyauth"
    LOGINS = [(OWN_PASSWORD, _("Each account's own password")),
              (MASTER_USER, _("Admin login as user*admin (Dovecot master user)")),
              (PROXYAUTH, _("Admin login, then PROXYAUTH"))]

    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    origin = models.CharField(max_length=16, default="panel")  # panel, webmail, cli
    host = models.CharField(_("server"), max_length=253)
    port = models.PositiveIntegerField(_("port"))
    security = models.CharField(_("security"), max_length=16, choices=SECURITY, default=IMAPS)
    verify_certificate = models.BooleanField(_("verify the certificate"), default=True)
    login_method = models.CharField(_("login"), max_length=16, choices=LOGINS, default=OWN_PASSWORD)
    admin_login = models.CharField(max_length=320, blank=True)
    admin_secret = models.TextField(blank=True)  # sealed (mailcore.auth.sealing); "" once the job ends
    master_separator = models.CharField(max_length=4, default="*")
    state = models.CharField(max_length=16, choices=STATES, default=QUEUED)
    # A running job's worker renews this lease; a job whose lease ran out was abandoned
    # by a dead worker and is taken up again (jobs.resume_stalled).
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)  # claims; capped by jobs.MAX_ATTEMPTS
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["state", "lease_until"], name="migrationjob_state_lease")]

    def __str__(self):
        return f"{self.host}:{self.port}"


class MigrationAccount(models.Model):
    PENDING, RUNNING, DONE, FAILED = "pending", "running", "done", "failed"
    STATES = [(PENDING, _("Waiting")), (RUNNING, _("Copying")), (DONE, _("Finished")), (FAILED, _("Failed"))]

    job = models.ForeignKey(MigrationJob, on_delete=models.CASCADE, related_name="accounts")
    source_login = models.CharField(_("source login"), max_length=320)
    secret = models.TextField(blank=True)  # sealed password; "" once the job ends
    target = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=16, choices=STATES, default=PENDING)
    folders_total = models.PositiveIntegerField(default=0)
    folders_done = models.PositiveIntegerField(default=0)
    messages_total = models.PositiveIntegerField(default=0)
    copied = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)  # why the whole account failed (login refused ...)
    # Why single messages failed: [{"folder", "uid", "reason"}], the first MAX_PROBLEMS.
    problems = models.JSONField(default=list)

    class Meta:
        ordering = ["pk"]


class MigrationFolder(models.Model):
    account = models.ForeignKey(MigrationAccount, on_delete=models.CASCADE, related_name="folders")
    source_name = models.CharField(max_length=512)
    target_name = models.CharField(max_length=512)
    uidvalidity = models.PositiveBigIntegerField(default=0)
    last_uid = models.PositiveBigIntegerField(default=0)  # every source UID up to it is done
    messages_total = models.PositiveIntegerField(default=0)
    copied = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    done = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["account", "source_name"], name="migrationfolder_unique")]


class CopiedMessage(models.Model):
    """A message a migration put into a folder, by its duplicate key (keys.py): a later
    run, or a resumed one, skips a source message whose key is here."""

    folder = models.ForeignKey(Folder, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["folder", "key"], name="copiedmessage_unique")]
