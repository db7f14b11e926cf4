"""The last live DNS check of each domain, kept so the panel's dashboard can warn about
missing or wrong records without asking DNS on every page load (check.py writes it)."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from mailcore.directory.models import Domain


class DnsCheck(models.Model):
    domain = models.OneToOneField(Domain, on_delete=models.CASCADE, primary_key=True, related_name="dns_check",
                                  verbose_name=_("domain"))
    checked = models.DateTimeField(_("checked"))
    # Every record that was not ok, in words no language owns:
    # [{"key": "mx", "status": "missing", "rtype": "MX", "name": "example.vn"}, ...]
    problems = models.JSONField(_("problems"), default=list)

    class Meta:
        verbose_name = _("DNS check")
        verbose_name_plural = _("DNS checks")

    def failing(self) -> list[dict]:
        """The records mail needs that DNS lacks or has wrong (not "warn" or "error": DNS
        did not answer, so nothing is known)."""
        return [problem for problem in self.problems if problem["status"] in ("missing", "wrong")]
