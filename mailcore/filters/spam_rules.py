"""The built-in spam scorer: a few quick rules, each adding (or taking off) points.

Every rule that fires is one Finding, so the score can be explained (X-Spam-Status
tests=, the queue's spam_report, docs/filters.md has the table). The message is parsed
once (mailcore.mime); nothing here asks the network except the DNS block lists
(dnsbl.py), and the sender checks are read from the Authentication-Results field our
own MX added (RFC 8601): the topmost one with our authserv-id, since the MX removed any
forged copy of it before adding its own (RFC 8601 §5).
"""
import re
from dataclasses import dataclass, field

from django.conf import settings

from mailcore.mime.structure import iter_leaves, parse_message
from mailcore.mime.text import decode_part_text
from mailcore.smtp.checks import organizational_domain

from . import bayes, dnsbl
from .spam_html import read_html, shown_host
from .types import Finding, SpamResult

# name: (points, what it means). Negative points are signs of good mail.
RULES = {
    "SPF_FAIL": (3.0, "the sending server is not allowed by the envelope domain's SPF record"),
    "SPF_SOFTFAIL": (1.5, "SPF softfail (~all) for the sending server"),
    "SPF_PASS": (-0.5, "the sending server is allowed by SPF"),
    "DKIM_INVALID": (1.5, "a DKIM signature does not verify"),
    "DKIM_VALID": (-0.5, "a DKIM signature verifies"),
    "DMARC_FAIL": (3.0, "the From domain publishes DMARC and the message is not aligned"),
    "DMARC_PASS": (-1.0, "the From domain is DMARC-aligned"),
    "MISSING_DATE": (1.5, "no Date field (RFC 5322 §3.6 requires one)"),
    "MISSING_MESSAGE_ID": (1.5, "no Message-ID field"),
    "FROM_MALFORMED": (2.5, "no From, or a From that is not one valid address"),
    "FORGED_HOSTED_FROM": (6.0, "From names a domain hosted here but the mail came from outside without SPF "
                                "or DKIM for it"),
    "HELO_CLAIMS_US": (3.0, "the client greeted with our own host name or a hosted domain"),
    "RECEIVED_TOO_MANY": (1.5, "more Received fields than a real path has"),
    "HTML_ONLY": (0.5, "HTML without a plain-text alternative"),
    "HTML_HIDDEN_TEXT": (2.5, "HTML-only mail with hidden text (display:none, tiny or white-on-white font)"),
    "LINK_TEXT_MISMATCH": (2.5, "a link shows one domain and goes to another"),
    "URL_FROM_LOOKALIKE": (2.5, "a link goes to a domain that imitates the From domain"),
    # A trained classifier that is this sure is right far more often than any single header
    # rule, so on its own it reaches the default Junk score (6) — bench spam measures it.
    "BAYES_999": (7.0, "Bayes: spam probability at least 0.999"),
    "BAYES_99": (6.0, "Bayes: spam probability at least 0.99"),
    "BAYES_95": (3.5, "Bayes: spam probability at least 0.95"),
    "BAYES_80": (1.5, "Bayes: spam probability at least 0.80"),
    "BAYES_05": (-1.5, "Bayes: spam probability at most 0.05"),
    "BAYES_01": (-3.0, "Bayes: spam probability at most 0.01"),
}
_BAYES_HIGH = (("BAYES_999", 0.999), ("BAYES_99", 0.99), ("BAYES_95", 0.95), ("BAYES_80", 0.80))
_BAYES_LOW = (("BAYES_01", 0.01), ("BAYES_05", 0.05))
MAX_RECEIVED = 15
HIDDEN_CHARS = 20  # hidden letters before HTML_HIDDEN_TEXT fires: a hidden preheader is shorter
MAX_LINKS = 200  # links compared per message: enough for any newsletter, bounded for hostile ones
_COMMENT = re.compile(r"\([^()]*\)")
_METHOD = re.compile(r"(?:^|;)\s*(spf|dkim|dmarc)\s*=\s*([a-z]+)([^;]*)", re.IGNORECASE)
_PROPERTY = re.compile(r"([a-z]+\.[a-z-]+)\s*=\s*(\S+)", re.IGNORECASE)
_ANCHOR = re.compile(r"<a\b", re.IGNORECASE)
_ADDR = re.compile(r"^[^@\s<>()\[\],;:\"]+@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9-]{2,}$", re.IGNORECASE)


@dataclass
class AuthSeen:
    """The sender checks as our Authentication-Results field reports them."""

    spf: str = "none"
    spf_domain: str = ""
    dkim: list = field(default_factory=list)  # [(result, d=)]
    dmarc: str = "none"

    def vouches_for(self, domain: str) -> bool:
        """True when SPF or a DKIM signature passed for domain (or its organization)."""
        org = organizational_domain(domain)
        if self.spf == "pass" and self.spf_domain and organizational_domain(self.spf_domain) == org:
            return True
        return any(result == "pass" and d and organizational_domain(d) == org for result, d in self.dkim)


def read_auth_results(headers, hostname: str) -> AuthSeen:
    """Our Authentication-Results (RFC 8601 §2.2), the topmost with authserv-id hostname."""
    seen = AuthSeen()
    for value in headers.get_all("authentication-results") or []:
        text = " ".join(value.split())
        while _COMMENT.search(text):
            text = _COMMENT.sub("", text)
        authserv, _sep, rest = text.partition(";")
        if authserv.split()[:1] != [hostname.lower()] and authserv.split()[:1] != [hostname]:
            continue
        for method, result, props in _METHOD.findall(";" + rest):
            method, result = method.lower(), result.lower()
            values = {name.lower(): item.strip('"').lower() for name, item in _PROPERTY.findall(props)}
            if method == "spf":
                seen.spf = result
                mailfrom = values.get("smtp.mailfrom", "")
                seen.spf_domain = mailfrom.rpartition("@")[2] or values.get("smtp.helo", "")
            elif method == "dkim":
                seen.dkim.append((result, values.get("header.d", "")))
            else:
                seen.dmarc = result
        return seen
    return seen


def score(raw: bytes, *, client_ip: str | None = None, helo: str = "", account_ids=(),
          parsed: tuple | None = None) -> SpamResult:
    """The built-in engine: the rules below, the DNS block lists and the Bayes classifier.

    account_ids: the recipients' accounts, or a callable giving them (expanding aliases
    costs queries, so it is done only when some classifier is trained).
    """
    findings = rule_findings(raw, helo=helo, parsed=parsed)
    findings += dnsbl.findings(client_ip)
    findings += bayes_findings(raw, account_ids)
    return SpamResult(score=round(sum(finding.score for finding in findings), 2), findings=findings,
                      engine="builtin")


def rule_findings(raw: bytes, *, helo: str = "", parsed: tuple | None = None) -> list[Finding]:
    """Every header and body rule that fires on raw; no network. parsed: parse_message(raw)
    when the caller has it already."""
    hostname = settings.HOPTHU_HOSTNAME.lower()
    structure, headers = parsed if parsed is not None else parse_message(raw)
    found: list[Finding] = []

    def fire(rule: str, detail: str = ""):
        found.append(Finding(rule, RULES[rule][0], detail[:200]))

    auth = read_auth_results(headers, hostname)
    _sender_checks(auth, fire)
    if headers.get("date") is None:
        fire("MISSING_DATE")
    if headers.get("message-id") is None:
        fire("MISSING_MESSAGE_ID")
    from_domain = _from_domain(headers, fire)
    if from_domain and _is_hosted(from_domain) and not auth.vouches_for(from_domain):
        fire("FORGED_HOSTED_FROM", from_domain)
    if helo and _claims_us(helo.strip().strip("[]").rstrip(".").lower(), hostname):
        fire("HELO_CLAIMS_US", helo)
    received = len(headers.get_all("received") or [])
    if received > MAX_RECEIVED:
        fire("RECEIVED_TOO_MANY", str(received))
    _body_rules(raw, structure, from_domain, fire)
    return found


def bayes_findings(raw: bytes, account_ids) -> list[Finding]:
    """The classifier's probability as points; untrained (None) adds nothing."""
    probability = bayes.spam_probability(raw, account_ids)
    if probability is None:
        return []
    rule = next((name for name, threshold in _BAYES_HIGH if probability >= threshold), None) or \
        next((name for name, threshold in _BAYES_LOW if probability <= threshold), None)
    return [Finding(rule, RULES[rule][0], f"p={probability:.3f}")] if rule else []


def _sender_checks(auth: AuthSeen, fire):
    if auth.spf == "fail":
        fire("SPF_FAIL", auth.spf_domain)
    elif auth.spf == "softfail":
        fire("SPF_SOFTFAIL", auth.spf_domain)
    elif auth.spf == "pass":
        fire("SPF_PASS", auth.spf_domain)
    results = {result for result, _d in auth.dkim}
    if "pass" in results:
        fire("DKIM_VALID")
    elif "fail" in results:
        fire("DKIM_INVALID")
    if auth.dmarc == "fail":
        fire("DMARC_FAIL")
    elif auth.dmarc == "pass":
        fire("DMARC_PASS")


def _from_domain(headers, fire) -> str:
    """The From address's domain (lower case) when From is one well-formed address."""
    values = headers.get_all("from") or []
    addresses = headers.addresses("from")
    if len(values) != 1 or len(addresses) != 1 or not _ADDR.match(addresses[0][1]):
        fire("FROM_MALFORMED", (values[0] if values else "")[:100])
        return ""
    return addresses[0][1].rpartition("@")[2].lower().rstrip(".")


def _is_hosted(domain: str) -> bool:
    from mailcore.directory.lookup import hosted_domain

    try:
        return hosted_domain(domain.encode("idna").decode("ascii")) is not None
    except UnicodeError:
        return False


def _claims_us(name: str, hostname: str) -> bool:
    if name == hostname or name in _our_addresses():
        return True
    return "." in name and _is_hosted(name)


def _our_addresses() -> set[str]:
    spec = ",".join((getattr(settings, "HOPTHU_PUBLIC_IPV4", ""), getattr(settings, "HOPTHU_PUBLIC_IPV6", "")))
    return {item.strip().lower() for item in spec.split(",") if item.strip()}


def _body_rules(raw: bytes, structure: dict, from_domain: str, fire):
    texts = [part for _section, part in iter_leaves(structure)
             if part["type"] == "text" and (part.get("disposition") or ["inline"])[0] == "inline"]
    html = [part for part in texts if part["subtype"] == "html"]
    if not html:
        return
    links, hidden = [], 0
    has_plain = any(part["subtype"] == "plain" for part in texts)
    for part in html:
        text = decode_part_text(raw, part)
        if has_plain and not _ANCHOR.search(text):
            continue  # beside a plain part only links count, and there are none to read
        signs = read_html(text)
        links += signs.links
        hidden += signs.hidden_chars
    if not has_plain:
        fire("HTML_ONLY")
        if hidden >= HIDDEN_CHARS:
            fire("HTML_HIDDEN_TEXT", f"{hidden} hidden characters")
    _link_rules(links[:MAX_LINKS], from_domain, fire)


def _link_rules(links: list, from_domain: str, fire):
    mismatch = lookalike = ""
    from_org = organizational_domain(from_domain) if from_domain else ""
    for host, text in links:
        shown = shown_host(text)
        if not mismatch and shown and organizational_domain(shown) != organizational_domain(host):
            mismatch = f"shows {shown}, goes to {host}"
        if not lookalike and from_org and _imitates(host, from_org):
            lookalike = f"{host} imitates {from_org}"
    if mismatch:
        fire("LINK_TEXT_MISMATCH", mismatch)
    if lookalike:
        fire("URL_FROM_LOOKALIKE", lookalike)


def _imitates(host: str, from_org: str) -> bool:
    """host is not from_org's but carries its name ("paypal.com.example", "paypal-login.example",
    "paypa1.example"): what phishing links do to look like the sender's own."""
    org = organizational_domain(host)
    brand = from_org.split(".")[0]
    if org == from_org or len(brand) < 4:
        return False  # short names occur inside unrelated domains by chance
    label = org.split(".")[0]
    if label == brand:
        return False  # the same name under another suffix: often the sender's own too
    if brand in host.split(".")[:-1] or brand in label.replace("-", ""):  # the last label is a suffix
        return True
    return len(brand) >= 5 and _distance(label, brand) <= 1


def _distance(a: str, b: str) -> int:
    """Levenshtein distance, stopping early: only 0, 1 or "more" matters here."""
    if abs(len(a) - len(b)) > 1:
        return 2
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]
