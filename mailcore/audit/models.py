"""The audit log: every change an administrator makes, who made it, from where, before → after."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    time = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    # The actor's name is kept as text too: the entry outlives the user it names.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("by"))
    actor_name = models.CharField(_("by"), max_length=254)
    ip = models.GenericIPAddressField(_("from IP"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=64)  # "domain.create", "account.password" …
    object_type = models.CharField(_("object type"), max_length=32)
    object_repr = models.CharField(_("object"), max_length=320)
    # The A-label of the domain the object belongs to, so a domain admin sees their own.
    domain = models.CharField(_("domain"), max_length=253, blank=True, db_index=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    # How the change came: "" through the panel or the CLI, "api" through the REST API
    # (with the owner of the token as the actor).
    via = models.CharField(_("via"), max_length=16, blank=True, default="")

    class Meta:
        ordering = ["-time", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self):
        return f"{self.time:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"
