"""The results of the inbound sender checks and the Authentication-Results field reporting them.

RFC 8601 §2.2: one field, our host name as authserv-id, one clause per method (spf, one
per DKIM signature, dmarc). RFC 8601 §5: a border MTA MUST remove fields that claim our
authserv-id when they arrive from outside; `strip_forged_results` does that.

The values in these results come from the sender (MAIL FROM, HELO, DKIM tags, DNS
records of the sender's choosing), so everything that goes into the header is reduced
to printable ASCII first: the field we add must never carry a line break or 8-bit data.
"""
import dataclasses
import functools
import re

import authres
import authres.core
import authres.dmarc
import dns.exception
import dns.name

DMARC_POLICIES = ("none", "quarantine", "reject")
MAX_REASON = 100  # keep a clause far below RFC 5322 §2.1.1's 998-octet line limit

_LABEL = re.compile(r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?")
_UNSAFE = re.compile(r'[^\x20-\x7e]|[@"\\]')  # authres leaves values with "@" unquoted


@functools.lru_cache(maxsize=4096)  # a pure function, asked for the same few domains
def ascii_domain(domain: str) -> str | None:
    """domain in lower-case A-labels (RFC 5890), or None when it is no usable host name.

    SPF, DKIM and DMARC compare and look up A-labels (RFC 8616 §3-§5). A name that is
    malformed or has a single label is no identity at all (RFC 7208 §4.3 gives "none").
    """
    text = domain.strip().rstrip(".")
    if not text or len(text) > 253:
        return None
    try:
        name = dns.name.from_text(text).to_text(omit_final_dot=True).lower()
    except (dns.exception.DNSException, UnicodeError, ValueError):
        return None
    labels = name.split(".")
    if len(labels) < 2 or not all(_LABEL.fullmatch(label) for label in labels):
        return None
    return name


def printable(text: str, limit: int = MAX_REASON) -> str:
    """text made safe for a header value: printable ASCII, no quote-breaking characters."""
    return _UNSAFE.sub("?", text)[:limit].strip()


@dataclasses.dataclass(frozen=True)
class SPFResult:
    """RFC 7208 §2.6: pass, fail, softfail, neutral, none, temperror or permerror."""

    result: str
    identity: str  # "mailfrom", or "helo" when the reverse-path was null (RFC 7208 §2.4)
    domain: str = ""  # the checked domain in A-labels; "" when there was none to check
    reason: str = ""


@dataclasses.dataclass(frozen=True)
class DKIMResult:
    """One DKIM-Signature (RFC 6376 §6), reported as RFC 8601 §2.7.1 defines the results."""

    result: str  # pass, fail, neutral, temperror or permerror
    domain: str = ""  # d= in A-labels ("" when the signature had no usable one)
    selector: str = ""  # s=
    signature: str = ""  # the first 8 characters of b=, to tell signatures apart (RFC 6008 §4)
    reason: str = ""


@dataclasses.dataclass(frozen=True)
class DMARCResult:
    """RFC 7489 §11.2: pass, fail, none, temperror or permerror, with the policy behind it."""

    result: str
    from_domain: str = ""  # the RFC5322.From domain (A-labels)
    policy: str = "none"  # the policy that applies to from_domain: p=, or sp= for a subdomain
    record_domain: str = ""  # where the record was found: from_domain or its organizational domain
    pct: int = 100  # recorded, not applied (see docs/inbound-checks.md)
    spf_aligned: bool = False
    dkim_aligned: bool = False
    reason: str = ""


@dataclasses.dataclass(frozen=True)
class AuthResults:
    """Everything check_message found, and the header field that reports it."""

    hostname: str
    spf: SPFResult
    dkim: tuple[DKIMResult, ...]
    dmarc: DMARCResult

    @property
    def dmarc_policy(self) -> str:
        """The From domain's policy ("none", "quarantine" or "reject"), for the caller to apply."""
        return self.dmarc.policy

    @property
    def dmarc_failed(self) -> bool:
        """True when the From domain publishes DMARC and the message is not aligned with it."""
        return self.dmarc.result == "fail"

    def header(self) -> str:
        """One Authentication-Results field (RFC 8601), folded, without the final CRLF."""
        field = authres.AuthenticationResultsHeader(authserv_id=self.hostname, results=self._clauses())
        # authres writes one line; fold between clauses so that no line nears the 998-octet
        # limit of RFC 5322 §2.1.1 however many signatures there are.
        return f"{field.HEADER_FIELD_NAME}: {field.authserv_id}" + "".join(f";\r\n\t{c}" for c in field.results)

    def _clauses(self) -> list:
        clauses = [_spf_clause(self.spf)]
        clauses += [_dkim_clause(signature) for signature in self.dkim] or [
            authres.DKIMAuthenticationResult(result="none")
        ]
        clauses.append(_dmarc_clause(self.dmarc))
        return clauses


def _property(ptype: str, name: str, value: str) -> authres.core.AuthenticationResultProperty:
    return authres.core.AuthenticationResultProperty(ptype, name, value)


def _reason(result: str, reason: str) -> str | None:
    # RFC 8601 §2.7 reason: useful for what went wrong, noise on a pass.
    if result == "pass":
        return None
    return printable(reason) or None


def _spf_clause(spf: SPFResult):
    properties = []
    if spf.domain:  # RFC 8601 §2.7.2: smtp.mailfrom / smtp.helo carry the checked identity
        properties.append(_property("smtp", spf.identity, spf.domain))
    return authres.SPFAuthenticationResult(
        result=spf.result, reason=_reason(spf.result, spf.reason), properties=properties
    )


def _dkim_clause(signature: DKIMResult):
    properties = [
        _property("header", name, value)
        for name, value in (("d", signature.domain), ("s", signature.selector), ("b", signature.signature))
        if value
    ]
    return authres.DKIMAuthenticationResult(
        result=signature.result, reason=_reason(signature.result, signature.reason), properties=properties
    )


def _dmarc_clause(dmarc: DMARCResult):
    comment = f"p={dmarc.policy} pct={dmarc.pct}" if dmarc.record_domain else None
    properties = [_property("header", "from", dmarc.from_domain)] if dmarc.from_domain else []
    return authres.dmarc.DMARCAuthenticationResult(
        result=dmarc.result,
        result_comment=comment,
        reason=_reason(dmarc.result, dmarc.reason),
        properties=properties,
    )


# Removing forged fields (RFC 8601 §5) ------------------------------------------------------

_AR_NAME = re.compile(rb"authentication-results[ \t]*:", re.IGNORECASE)
_FOLDED_FIELD = re.compile(rb"(?:[^\n]*\n(?=[ \t]))*[^\n]*")  # a field with its continuation lines
_TOKEN_END = re.compile(r'[\s;()"]')
_QUOTED_REST = re.compile(r'(?:[^"\\]|\\.)*"')


def strip_forged_results(raw: bytes, hostname: str) -> bytes:
    """raw without the Authentication-Results fields that claim hostname as authserv-id.

    RFC 8601 §5: a border MTA MUST delete such fields arriving from outside, since only we
    may speak for our authserv-id; fields of other ADMDs are left alone (§5 allows either).
    Everything else, line ends included, is kept byte for byte.
    """
    ours = hostname.strip().rstrip(".").lower()
    kept, position = [], 0
    field_start = field_keep = None
    while position < len(raw):
        end = raw.find(b"\n", position)
        end = len(raw) if end < 0 else end + 1
        line = raw[position:end]
        if line in (b"\r\n", b"\n"):  # the empty line: the body follows untouched
            break
        if field_start is None or line[:1] not in (b" ", b"\t"):  # a new field: settle the previous one
            if field_start is not None and field_keep:
                kept.append(raw[field_start:position])
            field_start = position
            field_keep = not (_AR_NAME.match(line) and _authserv_id(raw, position) == ours)
        position = end
    if field_start is not None and field_keep:
        kept.append(raw[field_start:position])
    return b"".join(kept) + raw[position:]


def _authserv_id(raw: bytes, start: int) -> str:
    """The authserv-id of the Authentication-Results field starting at start (lower case)."""
    match = _FOLDED_FIELD.match(raw, start)
    value = _AR_NAME.sub(b"", match.group(0), count=1).decode("utf-8", "replace")
    value = re.sub(r"\r?\n", "", value)  # unfold (RFC 5322 §2.2.3)
    index = _skip_cfws(value, 0)
    if value[index : index + 1] == '"':  # RFC 8601 §2.2: authserv-id is a value (token / quoted-string)
        closing = _QUOTED_REST.match(value, index + 1)
        text = value[index + 1 : closing.end() - 1] if closing else value[index + 1 :]
        return re.sub(r"\\(.)", r"\1", text).strip().rstrip(".").lower()
    stop = _TOKEN_END.search(value, index)
    return value[index : stop.start() if stop else len(value)].rstrip(".").lower()


def _skip_cfws(value: str, index: int) -> int:
    """The index after any folding white space and (nested) comments (RFC 5322 §3.2.2)."""
    depth = 0
    while index < len(value):
        char = value[index]
        if char == "\\" and depth:
            index += 1
        elif char == "(":
            depth += 1
        elif char == ")" and depth:
            depth -= 1
        elif not depth and not char.isspace():
            break
        index += 1
    return index
