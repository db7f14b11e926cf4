"""Sender Rewriting Scheme for forwarded mail (the SRS0 form of Shevek's SRS paper).

A forwarded message keeps its original author but leaves from our server, so the
original sender domain's SPF would fail at the next hop. The envelope sender is
rewritten to an address at our SRS domain that encodes the original one, signed so
nobody can use us to bounce mail at arbitrary addresses, and dated so it expires:

    SRS0=HHHHHHHH=TT=example.org=alice@mail.example.test

Two rules keep forwarding from laundering spoofs (docs/security.md, "Forwarding and SRS"):

- Only mail whose sender we authenticated (submission, webmail, relay grants, our own
  notices) keeps its envelope sender. Mail that came in on the MX keeps nothing, not
  even a sender at a hosted domain: anyone may write MAIL FROM:<ceo@our.domain>, and
  leaving from our IP with it would make SPF pass, aligned, at the next hop.
- The hash is HASH_CHARS (8) base32 characters, 40 bits of an HMAC-SHA256 over the
  fields joined by a separator no field can hold, so a field's characters cannot be
  moved into its neighbour under the same hash. The 4-character hashes of earlier
  versions are not accepted at all (a bounce to one is refused like a forged one).
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
HASH_CHARS = 8  # 40 bits: at 4,000 guesses a second, 8 years on average for one address
# Mail from these sources had its sender checked (authenticated, or written by us).
AUTHENTICATED_SOURCES = frozenset({"submission", "webmail", "relay", "system", "autoreply"})


def srs_domain() -> str:
    return getattr(settings, "HOPTHU_SRS_DOMAIN", "") or settings.HOPTHU_HOSTNAME


def _today() -> int:
    return int(time.time() // 86400) % 1024


def _stamp(day: int) -> str:
    return _B32[day >> 5 & 31] + _B32[day & 31]


def _hash(stamp: str, domain: str, localpart: str) -> str:
    key = (getattr(settings, "HOPTHU_SRS_SECRET", "") or settings.SECRET_KEY).encode()
    # NUL cannot occur in an address: "a=b" + "c" and "a" + "b=c" sign differently.
    fields = "\0".join(("SRS0", stamp, domain, localpart)).lower().encode()
    digest = hmac.new(key, fields, hashlib.sha256).digest()
    return base64.b32encode(digest).decode()[:HASH_CHARS]


def forward_sender(mail_from: str, source: str = "mx") -> str:
    """The envelope sender for a forwarded copy of mail from mail_from, which arrived by
    source (QueuedMessage.Source). Only an authenticated sender of ours is kept."""
    if not mail_from:
        return ""  # a bounce stays a bounce: the null sender is never rewritten
    try:
        address = parse_address(mail_from, allow_quoted=True)
    except ValidationError:
        return ""
    if source in AUTHENTICATED_SOURCES and _is_hosted(address.domain):
        return mail_from  # our own domains' SPF covers us, and we checked the sender
    stamp = _stamp(_today())
    return f"SRS0={_hash(stamp, address.domain, address.localpart)}={stamp}={address.domain}={address.localpart}" \
           f"@{srs_domain()}"


def _is_hosted(domain: str) -> bool:
    return hosted_domain(domain) is not None


def is_srs_address(address: str) -> bool:
    """Whether address is at our SRS domain with an SRS0 local part, valid or not."""
    localpart, _sep, domain = address.rpartition("@")
    return domain.lower() == srs_domain().lower() and localpart.upper().startswith("SRS0=")


def reverse(address: str) -> str | None:
    """The original sender behind an SRS0 address of ours, or None if it is not a valid one."""
    if not is_srs_address(address):
        return None
    pieces = address.rpartition("@")[0][5:].split("=", 3)
    if len(pieces) != 4:
        return None
    given_hash, stamp, original_domain, original_local = pieces
    if len(given_hash) != HASH_CHARS or not hmac.compare_digest(
            given_hash.upper(), _hash(stamp, original_domain, original_local)):
        return None
    try:
        day = _B32.index(stamp[0].upper()) << 5 | _B32.index(stamp[1].upper())
    except (ValueError, IndexError):
        return None
    if (_today() - day) % 1024 > MAX_AGE_DAYS:
        return None
    return f"{original_local}@{original_domain}"
