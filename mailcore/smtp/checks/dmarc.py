"""DMARC (RFC 7489): is the RFC5322.From domain the one SPF or DKIM authenticated?

Steps of RFC 7489 §6.6: take the one From domain (§6.6.1), discover its policy record at
_dmarc.<from domain>, else at _dmarc.<organizational domain> (§6.6.3), and pass when an
SPF pass or a DKIM pass is aligned with it (§3.1), relaxed or strict as aspf=/adkim= say.
The policy itself (p=, or sp= for a subdomain) is returned, not applied: whether a
p=reject failure is refused is the SMTP layer's choice (§6.7 leaves it to the receiver).

Organizational domains come from a small built-in rule, not the Public Suffix List that
§3.2 names: the last two labels, or the last three when the top-level domain has two
letters and the label before it is a common second level (example.com.vn, example.co.uk,
example.ac.jp). docs/inbound-checks.md describes what that gets wrong.
"""
import dataclasses
import email.policy
import logging
import re

from mailcore import dns as mail_dns
from mailcore.mime.fields import parse_fields

from .results import DMARC_POLICIES, DKIMResult, DMARCResult, SPFResult, ascii_domain

log = logging.getLogger(__name__)

# Second-level labels that registries under two-letter country codes sell names below
# (com.vn, co.uk, ac.jp, or.jp, ...): the simplification of RFC 7489 §3.2 described above.
SECOND_LEVELS = frozenset({
    "ac", "biz", "co", "com", "edu", "go", "gov", "health", "info", "int", "ltd",
    "me", "mil", "name", "ne", "net", "nic", "or", "org", "plc", "pro", "sch",
})

_VERSION = re.compile(r"v[ \t]*=[ \t]*DMARC1[ \t]*(;|$)")  # RFC 7489 §6.4: v=DMARC1 first, case-sensitive
_HEADER_END = re.compile(rb"\r?\n\r?\n")


def organizational_domain(domain: str) -> str:
    """The registered domain of domain (RFC 7489 §3.2), by the built-in rule above."""
    labels = domain.lower().rstrip(".").split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in SECOND_LEVELS:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def aligned(authenticated: str, from_domain: str, mode: str) -> bool:
    """RFC 7489 §3.1.1/§3.1.2: strict wants the same name, relaxed the same organizational domain."""
    if not authenticated or not from_domain:
        return False
    if mode == "s":
        return authenticated == from_domain
    return organizational_domain(authenticated) == organizational_domain(from_domain)


@dataclasses.dataclass(frozen=True)
class Policy:
    """A DMARC record (RFC 7489 §6.3) as it applies to one From domain."""

    p: str
    sp: str
    adkim: str = "r"
    aspf: str = "r"
    pct: int = 100
    domain: str = ""  # where the record was found


class PolicyError(Exception):
    """The record cannot be applied: DMARC permerror (RFC 7489 §11.2)."""


def check_dmarc(*, raw: bytes, spf: SPFResult, dkim: tuple[DKIMResult, ...]) -> DMARCResult:
    """The DMARC result of a message whose SPF and DKIM results are already known."""
    try:
        return _check(raw, spf, dkim)
    except Exception:  # hostile input must not cost the message; the caller sees permerror
        log.exception("DMARC evaluation failed")
        return DMARCResult("permerror", reason="unexpected error in DMARC evaluation")


def _check(raw: bytes, spf: SPFResult, dkim: tuple[DKIMResult, ...]) -> DMARCResult:
    from_domain, problem = author_domain(raw)
    if from_domain is None:
        return DMARCResult(problem[0], reason=problem[1])
    try:
        policy = discover_policy(from_domain)
    except mail_dns.TemporaryDNSError:
        return DMARCResult("temperror", from_domain, reason="policy record unavailable")
    except PolicyError as error:
        return DMARCResult("permerror", from_domain, reason=str(error))
    if policy is None:
        return DMARCResult("none", from_domain, reason="no policy published")
    applied = policy.sp if policy.domain != from_domain else policy.p  # sp= is for subdomains (§6.3)
    spf_aligned = spf.result == "pass" and aligned(spf.domain, from_domain, policy.aspf)
    dkim_aligned = any(d.result == "pass" and aligned(d.domain, from_domain, policy.adkim) for d in dkim)
    outcome = {
        "from_domain": from_domain,
        "policy": applied,
        "record_domain": policy.domain,
        "pct": policy.pct,
        "spf_aligned": spf_aligned,
        "dkim_aligned": dkim_aligned,
    }
    if spf_aligned or dkim_aligned:
        return DMARCResult("pass", **outcome)
    # A transient SPF or DKIM error on an identifier that could have aligned may hide a pass:
    # report temperror so the caller can defer (4xx) rather than refuse for good.
    if (spf.result == "temperror" and aligned(spf.domain, from_domain, policy.aspf)) or any(
        d.result == "temperror" and aligned(d.domain, from_domain, policy.adkim) for d in dkim
    ):
        return DMARCResult("temperror", reason="SPF or DKIM temporarily unavailable", **outcome)
    return DMARCResult("fail", reason="no aligned SPF or DKIM pass", **outcome)


# A From value with one mailbox and nothing to interpret: a display name without RFC 5322
# specials (quotes, comments, commas, groups) or none, and a dot-atom address. Anything
# else goes to the email package's full parser.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_ADDR_SPEC = rf"{_ATOM}(?:\.{_ATOM})*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
_SIMPLE_FROM = re.compile(
    rf"\s*(?:[^\"(),:;<>@\[\]\\]*<({_ADDR_SPEC})>|({_ADDR_SPEC}))\s*")


def author_domain(raw: bytes) -> tuple[str | None, tuple[str, str]]:
    """The RFC5322.From domain in A-labels, or None and (result, reason) (RFC 7489 §6.6.1).

    Exactly one From field holding exactly one address is required. Several fields or
    addresses are a permanent error (RFC 5322 §3.6 allows one From field; §6.6.1 says such
    messages are typically rejected); a missing From or one without a usable domain leaves
    no identifier to check, which is "none" (RFC 7489 §11.2).
    """
    match = _HEADER_END.search(raw)
    head = raw[: match.start()] if match else raw
    # The header is split by the store's fast splitter (UTF-8 per RFC 6532, anything else
    # replaced, never guessed); only the From field goes through the email package's
    # strict address parser, as Message.get would give it.
    froms = parse_fields(head + b"\n").get_all("from") or []
    if len(froms) > 1:
        return None, ("permerror", "multiple From fields")
    simple = _SIMPLE_FROM.fullmatch(froms[0]) if froms else None
    if simple is not None:  # most mail: `Name <a@b.example>` or `a@b.example`, read at once
        domain = ascii_domain((simple.group(1) or simple.group(2)).rpartition("@")[2])
        return (domain, ("", "")) if domain else (None, ("none", "no usable From domain"))
    try:
        addresses = email.policy.default.header_fetch_parse("From", froms[0]).addresses if froms else ()
    except Exception:  # the email package fails on some hostile values (IndexError on "<")
        return None, ("permerror", "unreadable From field")
    if len(addresses) > 1:
        return None, ("permerror", "multiple From addresses")
    if not addresses:
        return None, ("none", "no From address")
    domain = ascii_domain(addresses[0].domain)
    if domain is None:
        return None, ("none", "no usable From domain")
    return domain, ("", "")


def discover_policy(from_domain: str) -> Policy | None:
    """The policy record for from_domain (RFC 7489 §6.6.3), None when there is none."""
    records = _records(from_domain)
    found_at = from_domain
    if not records:  # §6.6.3 step 3: fall back to the organizational domain
        found_at = organizational_domain(from_domain)
        records = _records(found_at) if found_at != from_domain else []
    if len(records) != 1:  # §6.6.3 step 4: none, or several, means no DMARC for this message
        return None
    return parse_record(records[0], found_at)


def _records(domain: str) -> list[str]:
    return [text for text in mail_dns.txt_strings(f"_dmarc.{domain}") if _VERSION.match(text)]


def parse_record(text: str, domain: str) -> Policy:
    """A DMARC record (RFC 7489 §6.3, §6.4); PolicyError when no policy can be taken from it."""
    tags = {}
    for part in text.split(";"):
        name, eq, value = part.partition("=")
        if eq:
            tags.setdefault(name.strip().lower(), value.strip())
    p = tags.get("p", "").lower()
    sp = tags.get("sp", p).lower()
    if p not in DMARC_POLICIES or sp not in DMARC_POLICIES:
        # §6.6.3: a record without a valid p= (or with a bad sp=) counts as p=none if it
        # asks for aggregate reports (rua=), so that the reports still flow; else no policy.
        if not tags.get("rua"):
            raise PolicyError("record without a valid p=")
        p = p if p in DMARC_POLICIES else "none"
        sp = sp if sp in DMARC_POLICIES else p
    # §6.3: other syntax errors are discarded in favour of the defaults.
    adkim = tags.get("adkim", "r").lower()
    aspf = tags.get("aspf", "r").lower()
    pct = tags.get("pct", "100")
    return Policy(
        p=p,
        sp=sp,
        adkim=adkim if adkim in ("r", "s") else "r",
        aspf=aspf if aspf in ("r", "s") else "r",
        pct=int(pct) if pct.isdigit() and int(pct) <= 100 else 100,
        domain=domain,
    )
