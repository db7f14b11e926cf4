"""The MTA-STS policy of hosted domains (RFC 8461).

Every hosted domain receives mail on the one mail host (HOPTHU_HOSTNAME), so every domain
has the same policy text; its id (published in the _mta-sts TXT record, §3.1) is derived
from the text, so it changes exactly when the policy does and senders then refetch it.
"""
import hashlib

from django.conf import settings

MODES = ("enforce", "testing", "none")  # RFC 8461 §3.2
# RFC 8461 §3.2 caps max_age at 31557600; one week lets a policy change reach senders quickly.
DEFAULT_MAX_AGE = 604800


def mode() -> str:
    configured = str(getattr(settings, "HOPTHU_MTA_STS_MODE", "testing")).strip().lower()
    return configured if configured in MODES else "testing"


def max_age() -> int:
    try:
        value = int(getattr(settings, "HOPTHU_MTA_STS_MAX_AGE", DEFAULT_MAX_AGE))
    except (TypeError, ValueError):
        return DEFAULT_MAX_AGE
    return min(max(value, 0), 31557600)


def policy_text(mail_host: str) -> str:
    """The policy file (RFC 8461 §3.2): key/value lines ending in CRLF."""
    lines = ["version: STSv1", f"mode: {mode()}", f"mx: {mail_host}", f"max_age: {max_age()}"]
    return "".join(f"{line}\r\n" for line in lines)


def policy_id(mail_host: str) -> str:
    """An id of 1-32 letters and digits (§3.1) that changes whenever the policy text changes."""
    return hashlib.sha256(policy_text(mail_host).encode()).hexdigest()[:20]
