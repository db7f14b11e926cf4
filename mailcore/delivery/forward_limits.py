"""How far one mailbox may forward: a cap on its targets and a rate on its copies.

Forwarding turns one message into several that leave from our IP addresses, so a
hijacked or abused account (or a spammer who found an open forward) could use it as an
amplifier. Two limits (docs/security.md, "Forwarding and SRS"):

- Targets: an account forwards to at most HOPTHU_MAX_FORWARD_TARGETS (10) distinct
  addresses, its directory forward and its mail rules' "forward a copy" actions counted
  together. Checked where they are set: directory.services.set_forward and
  rule_edits.clean_rule, each with an error on the field that holds the addresses.
- Rate: at most HOPTHU_FORWARD_RATE_PER_HOUR (300) forwarded copies an hour per
  forwarding address and HOPTHU_DOMAIN_FORWARD_RATE_PER_HOUR (3000) per hosted domain
  (0: no limit). Over it the copy is not dropped but deferred in the queue, by a whole
  hour for each hour's allowance already used, the way Postfix and rspamd rate limits
  defer rather than refuse; the local copy is always delivered. Each deferral is logged.

Blocking (database).
"""
import logging
from datetime import timedelta

from django.conf import settings
from django.utils.translation import gettext as _

from mailcore.auth.ratelimit import RateLimit

log = logging.getLogger(__name__)
WINDOW_SECONDS = 3600
_NO_CEILING = 1_000_000_000  # every copy is recorded; the count decides the delay


def max_targets() -> int:
    return getattr(settings, "HOPTHU_MAX_FORWARD_TARGETS", 10)


def too_many_message(count: int) -> str:
    return _("A mailbox may forward to at most %(count)d addresses, counting its forwarding and its rules "
             "together.") % {"count": count}


def rule_targets(account, *, except_rule=None) -> set[str]:
    """The addresses the account's mail rules forward to (all rules: one can be switched on
    without being edited), the rule being edited left out."""
    from .models import MailRule

    rules = MailRule.objects.filter(account=account)
    if except_rule is not None and except_rule.pk:
        rules = rules.exclude(pk=except_rule.pk)
    return {action["address"].lower() for actions in rules.values_list("actions", flat=True)
            for action in actions or [] if action.get("action") == "forward" and action.get("address")}


def directory_targets(account) -> set[str]:
    from mailcore.directory.models import ForwardTarget

    return {address.lower() for address in
            ForwardTarget.objects.filter(forward__account=account).values_list("address", flat=True)}


def forward_delay(via: str, domain: str, copies: int) -> timedelta | None:
    """Record `copies` forwarded copies from the address `via` (of hosted domain `domain`);
    return how long they must wait in the queue, or None to send them now."""
    waits = []
    for key, limit in ((f"forward:{via.lower()}", getattr(settings, "HOPTHU_FORWARD_RATE_PER_HOUR", 300)),
                       (f"forward-domain:{domain}", getattr(settings, "HOPTHU_DOMAIN_FORWARD_RATE_PER_HOUR", 3000))):
        if limit <= 0 or (key.startswith("forward-domain:") and not domain):
            continue
        window = RateLimit(key, _NO_CEILING, WINDOW_SECONDS)
        window.hit(copies)
        used = window.used()
        if used > limit:
            waits.append(((used - 1) // limit, key, limit))
    if not waits:
        return None
    hours, key, limit = max(waits)
    log.warning("forwarding from %s over %s's limit of %d an hour: %d cop%s deferred by %d hour(s)",
                via, key, limit, copies, "y" if copies == 1 else "ies", hours)
    return timedelta(seconds=WINDOW_SECONDS * hours)
