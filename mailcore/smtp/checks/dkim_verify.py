"""DKIM (RFC 6376 §6) verification of every DKIM-Signature of an incoming message.

dkimpy does the cryptography and canonicalization (it accepts bare LF line ends and
works on CRLF internally). The public key comes through mailcore.dns (`dnsfunc=`), and
this module turns dkimpy's True/False/exceptions into the results of RFC 8601 §2.7.1:

- pass: the signature verified with a key of at least 1024 bits (RFC 8301 §3.2);
- fail: it did not (body hash or signature mismatch, RFC 6376 §6.1.3);
- neutral: the signature itself is malformed or cannot be processed (missing or bad
  tags, unknown algorithm, a t= in the future or an expired x=; RFC 6376 §6.1.1);
- permerror: nothing a retry would change: no key at the selector, a malformed, revoked
  or too short key, or an h= that leaves out From (RFC 6376 §6.1.1, §6.1.2);
- temperror: the key could not be fetched now (RFC 6376 §6.1.2 TEMPFAIL).
"""
import logging
import re

import dkim

from mailcore import dns as mail_dns

from .results import DKIMResult, ascii_domain, printable

log = logging.getLogger(__name__)

# RFC 6376 §6.1 lets a verifier bound the signatures it tries; a message carrying dozens
# of signatures would otherwise make us fetch dozens of keys for one message.
MAX_SIGNATURES = 5
MIN_KEY_BITS = 1024  # RFC 8301 §3.2: verifiers MUST NOT consider shorter RSA keys valid
# A field name at a line start anywhere: a superset of the header's fields, so never a miss.
_SIGNATURE_FIELD = re.compile(rb"(?im)^dkim-signature[ \t]*:")


def verify_dkim(raw: bytes) -> tuple[DKIMResult, ...]:
    """One result per DKIM-Signature, topmost first, at most MAX_SIGNATURES; () if unsigned."""
    if b"dkim-signature" not in raw.lower():
        return ()  # no signature field can be there: spare dkimpy's parse of the message
    try:
        message = dkim.DKIM(raw, logger=log.getChild("dkimpy"), minkey=MIN_KEY_BITS)
    except Exception:  # a header section dkimpy cannot split into fields (it may even IndexError)
        if _SIGNATURE_FIELD.search(raw):
            return (DKIMResult("neutral", reason="unreadable header section"),)
        return ()
    signatures = [value for name, value in message.headers if name.lower() == b"dkim-signature"]
    if len(signatures) > MAX_SIGNATURES:
        log.info("DKIM: verifying %d of %d signatures", MAX_SIGNATURES, len(signatures))
    results = []
    for index, value in enumerate(signatures[:MAX_SIGNATURES]):
        try:
            results.append(_verify_one(message, index, value))
        except Exception:  # a defect in dkimpy on hostile input must not cost the message
            log.exception("DKIM verification of signature %d failed", index)
            results.append(DKIMResult("neutral", *_tags_for_report(value), reason="unexpected error"))
    return tuple(results)


def _verify_one(message: dkim.DKIM, index: int, value: bytes) -> DKIMResult:
    domain, selector, signature = _tags_for_report(value)

    def result(name: str, reason: str = "") -> DKIMResult:
        return DKIMResult(name, domain, selector, signature, printable(reason))

    try:
        _sig, include_headers, _all = message.verify_headerprep(index)
    except dkim.DKIMException as error:  # syntax of the signature field (RFC 6376 §3.5, §6.1.1)
        return result("neutral", f"signature syntax: {error}")
    if b"from" not in include_headers:
        return result("permerror", "From field not signed")  # RFC 6376 §6.1.1
    key = _KeyLookup()
    try:
        verified = message.verify(index, dnsfunc=key)
    except mail_dns.TemporaryDNSError:
        return result("temperror", "key unavailable")
    except dkim.KeyFormatError as error:  # a key too short, or one that cannot fit the digest
        return result("permerror", f"key: {error}")
    except dkim.ValidationError as error:
        return result("fail", str(error))
    except dkim.DKIMException as error:  # e.g. an unknown canonicalization in c=
        return result("neutral", str(error))
    if verified:
        return result("pass")
    # dkimpy answers False both for a bad signature and for an absent or unusable key;
    # RFC 6376 §6.1.2 makes the key problems PERMFAIL, so tell them apart here.
    if key.record is None:
        return result("permerror", "no key for signature")
    try:
        dkim.evaluate_pk(key.name, key.record)
    except Exception as error:  # KeyFormatError, or base64's own error for a garbled p=
        return result("permerror", f"key syntax: {error}")
    return result("fail", "signature did not verify")


class _KeyLookup:
    """dkimpy's dnsfunc: the selector's TXT record through mailcore.dns, remembered."""

    def __init__(self):
        self.name = ""
        self.record: bytes | None = None

    def __call__(self, name: bytes, timeout: float = 5) -> bytes | None:
        try:
            self.name = name.decode("ascii").rstrip(".")
        except UnicodeDecodeError:  # d= or s= with 8-bit octets: no such key in the DNS
            return None
        if ascii_domain(self.name) != self.name.lower():
            return None
        records = mail_dns.query(self.name, "TXT")  # TemporaryDNSError goes up: temperror
        # RFC 6376 §3.6.2.2: a key record's strings are concatenated. With several records
        # the first is used (a verifier may choose, and selectors normally hold one).
        self.record = b"".join(records[0].strings) if records else None
        return self.record


def _tags_for_report(value: bytes) -> tuple[str, str, str]:
    """d=, s= and the start of b= read leniently, to name even a malformed signature."""
    tags = {}
    for part in value.split(b";"):
        key, _eq, tag_value = part.partition(b"=")
        tags.setdefault(key.strip().lower(), re.sub(rb"\s+", b"", tag_value))
    domain = ascii_domain(tags.get(b"d", b"").decode("utf-8", "replace")) or ""
    selector = tags.get(b"s", b"").decode("ascii", "replace")
    selector = selector if re.fullmatch(r"[A-Za-z0-9_.-]{1,63}", selector) else ""
    signature = tags.get(b"b", b"")[:8].decode("ascii", "replace")
    signature = signature if re.fullmatch(r"[A-Za-z0-9+/=]+", signature) else ""
    return domain, selector, signature
