"""DKIM signing of outgoing mail (RFC 6376) with the sending domain's active key.

rsa-sha256 (RFC 8301 §3.1), relaxed/relaxed canonicalization (RFC 6376 §3.4.2, §3.4.4:
survives the header refolding and trailing-space changes relays make). The header
list is the RFC 6376 §5.4.1 set; the fields a reader trusts are "over-signed", listed
once more than they occur (RFC 6376 §8.15), so that nobody can add a second From or
Subject, or a Reply-To the author never wrote, without breaking the signature.
"""
import logging

import dkim

from mailcore.dkim.keys import private_key

logger = logging.getLogger(__name__)

SIGNED_HEADERS = (
    "from", "sender", "reply-to", "to", "cc", "subject", "date", "message-id",
    "in-reply-to", "references", "mime-version", "content-type", "content-transfer-encoding",
    "list-id", "list-unsubscribe", "list-unsubscribe-post", "list-post",
)
OVERSIGNED = frozenset({
    "from", "sender", "reply-to", "to", "cc", "subject", "date", "message-id",
    "in-reply-to", "references", "mime-version", "content-type",
})


def sign(raw: bytes, domain: str) -> bytes:
    """Return raw with a DKIM-Signature field prepended; raw unchanged if the domain has no key.

    `domain` is the signing domain (d=), normally the domain of the From address;
    signing never stops the mail: a message dkimpy cannot parse goes out unsigned.
    """
    key = private_key(domain)
    if key is None:
        return raw
    try:
        signer = dkim.DKIM(raw, linesep=b"\r\n", logger=logger)
        signature = signer.sign(key.selector.encode("ascii"), key.domain.encode("ascii"), key.pem,
                                canonicalize=(b"relaxed", b"relaxed"), include_headers=_header_list(signer))
    except dkim.DKIMException as error:
        logger.warning("DKIM signing for %s failed, sending unsigned: %s", key.domain, type(error).__name__)
        return raw
    return signature + raw


def _header_list(signer: dkim.DKIM) -> list[bytes]:
    present = [name.lower().decode("ascii", "replace") for name, _value in signer.headers]
    names = []
    for name in SIGNED_HEADERS:
        # Each occurrence is signed (bottom-up, RFC 6376 §5.4.2); the extra one signs an absence.
        names += [name] * (present.count(name) + (name in OVERSIGNED))
    return [name.encode("ascii") for name in names]
