from django.db import models
from django.utils.translation import gettext_lazy as _

from mailcore.directory.models import Domain


class ReceivedReport(models.Model):
    """One aggregate report about a hosted domain, as its sender summed it up.

    rows: DMARC — [{"source_ip", "count", "disposition", "dkim", "spf", "header_from"}];
    TLS-RPT — [{"policy_type", "policy_domain", "mx", "successful", "failed",
    "failures": [{"result_type", "receiving_mx", "receiving_ip", "count"}]}].
    """

    class Kind(models.TextChoices):
        DMARC = "dmarc", _("DMARC")
        TLSRPT = "tlsrpt", _("TLS")

    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="received_reports")
    kind = models.CharField(max_length=6, choices=Kind.choices)
    organization = models.CharField(max_length=200)  # who sent the report
    report_id = models.CharField(max_length=200)
    begin = models.DateTimeField()
    end = models.DateTimeField()
    received = models.DateTimeField(auto_now_add=True)
    rows = models.JSONField(default=list)
    passed = models.PositiveBigIntegerField(default=0)  # DMARC: messages that passed; TLS: sessions that succeeded
    failed = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["domain", "kind", "organization", "report_id"],
                                               name="received_report_once")]
        indexes = [models.Index(fields=["domain", "kind", "-end"], name="received_report_list")]
        ordering = ["-end", "-id"]

    def __str__(self):
        return f"{self.kind} report {self.report_id} from {self.organization} for {self.domain}"


class TlsSessionCount(models.Model):
    """Outbound TLS sessions of one UTC day, summed per policy domain, MX and result
    (RFC 8460 §4.4): what HopThu's daily TLS report to that domain says. One row per
    (day, domain, policy, MX host, IP, result); each session adds one to its count."""

    day = models.DateField()
    policy_domain = models.CharField(max_length=253)  # the recipient domain, A-label
    policy_type = models.CharField(max_length=20)  # "sts" | "no-policy-found"
    policy_id = models.CharField(max_length=32, blank=True)  # the MTA-STS policy's id (TXT id=)
    policy_string = models.JSONField(default=list)  # §4.4 policy-string: the policy's lines
    receiving_mx = models.CharField(max_length=253)
    receiving_ip = models.CharField(max_length=45)
    result_type = models.CharField(max_length=40)  # "success" or a §4.3 failure type
    count = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["day", "policy_domain", "policy_type", "policy_id", "receiving_mx", "receiving_ip",
                    "result_type"], name="tls_session_count_once")]
        indexes = [models.Index(fields=["day", "policy_domain"], name="tls_session_count_day")]

    def __str__(self):
        return f"{self.day} {self.policy_domain} {self.receiving_mx}: {self.result_type} x{self.count}"


class SentTlsReport(models.Model):
    """A daily TLS report HopThu sent about one recipient domain (RFC 8460 §4): one
    per (day, domain), claimed before sending, so a rerun of the day sends nothing."""

    day = models.DateField()
    policy_domain = models.CharField(max_length=253)
    report_id = models.CharField(max_length=200)
    sent = models.DateTimeField(auto_now_add=True)
    destinations = models.JSONField(default=list)  # [{"uri", "outcome"}]

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "policy_domain"], name="sent_tls_report_once")]

    def __str__(self):
        return f"TLS report {self.report_id} for {self.policy_domain} on {self.day}"
