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
