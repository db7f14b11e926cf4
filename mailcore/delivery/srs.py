"""Sender Rewriting Scheme for forwarded mail (the SRS0 form of Shevek's SRS paper).

A forwarded message keeps its original author but leaves from our server, so the
original sender domain's SPF would fail at the next hop. The envelope sender is
rewritten to an address at our SRS domain that encodes the original one, signed so
nobody can use us to bounce mail at arbitrary addresses, and dated so it expires:

    SRS0=HHHH=TT=example.org=alice@mail.example.test
"""
import base64
import hashlib
import hmac
import time

from django.conf import settings
from django.core.exceptions import ValidationError

from mailcore.directory.addresses import parse_address
from mailcore.directory.lookup import hosted_domain

_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
MAX_AGE_DAYS = 21


def srs_domain() -> str:
    return getattr(settings, "HOPTHU_SRS_DOMAIN", "") or settings.HOPTHU_HOSTNAME


def _today() -> int:
    return int(time.time() // 86400) % 1024


def _stamp(day: int) -> str:
    return _B32[day >> 5 & 31] + _B32[day & 31]


def _hash(*parts: str) -> str:
    key = (getattr(settings, "HOPTHU_SRS_SECRET", "") or settings.SECRET_KEY).encode()
    digest = hmac.new(key, "".join(parts).lower().encode(), hashlib.sha1).digest()
    return base64.b32encode(digest).decode()[:4]


def forward_sender(mail_from: str) -> str:
    """The envelope sender for a forwarded copy of mail from mail_from."""
    if not mail_from:
        return ""  # a bounce stays a bounce: the null sender is never rewritten
    try:
        address = parse_address(mail_from, allow_quoted=True)
    except ValidationError:
        return ""
    if hosted_domain(address.domain) is not None or address.localpart.upper().startswith("SRS0="):
        return mail_from  # our own domains' SPF covers us; SRS0 addresses are forwarded as they are
    stamp = _stamp(_today())
    return f"SRS0={_hash(stamp, address.domain, address.localpart)}={stamp}={address.domain}={address.localpart}" \
           f"@{srs_domain()}"


def reverse(address: str) -> str | None:
    """The original sender behind an SRS0 address of ours, or None if it is not a valid one."""
    localpart, _sep, domain = address.rpartition("@")
    if domain.lower() != srs_domain().lower() or not localpart.upper().startswith("SRS0="):
        return None
    pieces = localpart[5:].split("=", 3)
    if len(pieces) != 4:
        return None
    given_hash, stamp, original_domain, original_local = pieces
    if not hmac.compare_digest(given_hash.upper(), _hash(stamp, original_domain, original_local)):
        return None
    try:
        day = _B32.index(stamp[0].upper()) << 5 | _B32.index(stamp[1].upper())
    except (ValueError, IndexError):
        return None
    if (_today() - day) % 1024 > MAX_AGE_DAYS:
        return None
    return f"{original_local}@{original_domain}"
