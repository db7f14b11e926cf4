"""Recording the outcome of each outbound TLS session for TLS-RPT (RFC 8460 §4).

outbound/client.py calls record() once per session it opens (or fails to open for a
TLS reason) with the policy in force for the recipient domain. The count goes to the
row of today (UTC) for that domain, policy, MX host, IP and result: one UPDATE, and an
INSERT the first time of the day. Recording never stops a delivery: an error is logged.
"""
import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

log = logging.getLogger(__name__)

STS = "sts"
NO_POLICY = "no-policy-found"


def policy_lines(policy) -> list[str]:
    """The §4.4 policy-string of an MTA-STS policy: its lines, as published (RFC 8461 §3.2)."""
    return (["version: STSv1", f"mode: {policy.mode}"] + [f"mx: {mx}" for mx in policy.mx]
            + [f"max_age: {policy.max_age}"])


def record(domain: str, policy, mx_host: str, ip: str, result_type: str, published: bool = False) -> None:
    """Count one session to mx_host[ip] for mail to domain; policy: the MTA-STS Policy or None.

    published: the domain announced an MTA-STS policy that could not be used (§4.3.2.1
    failures), which is an "sts" failure even with no policy in force.
    """
    if not getattr(settings, "HOPTHU_TLSRPT", True):
        return
    from .models import TlsSessionCount

    key = {"day": timezone.now().astimezone(dt.UTC).date(), "policy_domain": domain.lower(),
           "policy_type": STS if policy is not None or published else NO_POLICY,
           "policy_id": policy.policy_id if policy is not None else "",
           "receiving_mx": mx_host.lower().rstrip(".")[:253], "receiving_ip": ip[:45], "result_type": result_type}
    try:
        if TlsSessionCount.objects.filter(**key).update(count=F("count") + 1):
            return
        try:
            with transaction.atomic():
                TlsSessionCount.objects.create(
                    **key, count=1, policy_string=policy_lines(policy) if policy is not None else [])
        except IntegrityError:  # another worker created the row first
            TlsSessionCount.objects.filter(**key).update(count=F("count") + 1)
    except Exception:
        log.exception("TLS-RPT: the session to %s for %s was not recorded", mx_host, domain)
