"""The MX's scan of a message at DATA: attachments, viruses, spam, then the thresholds.

Order, each step deciding alone when it refuses or holds:
1. attachments.blocked (each recipient domain's blocked list) → 554 5.7.1 or quarantine;
2. clamav.scan when there is a clamd (HOPTHU_CLAMD, or one found on this machine) →
   infected: 554 5.7.1 or quarantine; clamd unreachable: 451 4.7.1, unless every
   recipient domain chose to accept unscanned mail (an autodetected socket nobody answers
   on is no scanner: delivered unscanned, logged);
3. the spam score: rspamd when every recipient domain chose it (built-in scorer when
   rspamd cannot be asked, logged), the built-in scorer otherwise;
4. score ≥ reject_score for every recipient domain (a domain with 0 never rejects) →
   554 5.7.1; otherwise accepted with X-Spam-* fields, and local delivery puts each
   account's copy in Junk by its own domain's junk_score (mailcore/filters/junk.py).

One DATA reply answers for every recipient, so with recipients in several domains the
strictest applies to what must never be delivered (blocked attachments, viruses: reject
if any of those domains rejects, else quarantine) and the most lenient to spam (refused
only if every domain would refuse it). docs/filters.md.

Blocking (clamd, rspamd, DNS, database): run through host.run_blocking.
"""
import logging
import re

from mailcore.directory.lookup import hosted_domain
from mailcore.mime.structure import parse_message
from mailcore.stats import pending as pending_counts

from . import attachments, clamav, quarantine, rspamd, spam_rules
from .models import FilterPolicy
from .policy import cached_policy
from .types import ScannerUnavailable, ScanResult, SpamResult

log = logging.getLogger(__name__)
_SAFE = re.compile(r"[^\x21-\x7e]+")
_RULE_NAME = re.compile(r"[^A-Za-z0-9_:.\-]+")
_SPAM_FIELD = re.compile(rb"^X-Spam-[^:\r\n]*:.*(?:\r\n[ \t].*)*\r\n", re.IGNORECASE | re.MULTILINE)


def scan_inbound(raw: bytes, *, mail_from: str, recipients: list[str], client_ip: str | None,
                 helo: str, refuse_spam: bool = True) -> ScanResult:
    """Decide what the MX answers to this message (types.ScanResult). refuse_spam=False
    (mail for postmaster alone, RFC 5321 §4.5.1) accepts spam with its X-Spam-* fields."""
    policies = recipient_policies(recipients)
    parsed = parse_message(raw)  # once, for the attachment policy and the spam rules
    blocked = _blocked_attachments(raw, policies, parsed[0])
    if blocked:
        action = _hold_action([policy.attachment_action for policy, _reason in blocked])
        return _refusal(action, "policy", blocked[0][1], f"554 5.7.1 Message refused: {_printable(blocked[0][1])}")
    virus = _virus_check(raw, policies)
    if virus is not None:
        return virus
    spam = spam_score(raw, mail_from=mail_from, recipients=recipients, client_ip=client_ip, helo=helo,
                      policies=policies, parsed=parsed)
    reject_scores = [policy.reject_score for policy in policies.values()]
    # rspamd's verdict maps onto the same actions: its "reject" (GTUBE, a forced action)
    # refuses wherever the domains refuse at all, its "soft reject" asks for a retry.
    if not refuse_spam:
        return ScanResult(action="accept", spam=spam, headers=spam_headers(spam, policies))
    if spam.action == "soft reject":
        return ScanResult(action="tempfail", kind="spam", reason="rspamd: soft reject", spam=spam,
                          reply="451 4.7.1 Try again later")
    forced = spam.action == "reject" and all(limit > 0 for limit in reject_scores)
    if forced or (reject_scores and all(0 < limit <= spam.score for limit in reject_scores)):
        return ScanResult(action="reject", kind="spam", reason=f"spam score {spam.score:g}", spam=spam,
                          reply=f"554 5.7.1 Message refused as spam (score {spam.score:g})")
    return ScanResult(action="accept", spam=spam, headers=spam_headers(spam, policies))


def recipient_policies(recipients: list[str]) -> dict[str, FilterPolicy]:
    """{hosted domain name: its FilterPolicy} of the recipients (a domain alias counts as its target)."""
    policies = {}
    for address in recipients:
        name = address.rpartition("@")[2].rstrip(".").lower()
        try:
            domain = hosted_domain(name.encode("idna").decode("ascii"))
        except UnicodeError:
            domain = None
        if domain is not None and domain.name not in policies:
            policies[domain.name] = cached_policy(domain)
    return policies or {"": FilterPolicy()}


def spam_score(raw: bytes, *, mail_from, recipients, client_ip, helo, policies, parsed=None) -> SpamResult:
    if all(policy.engine == FilterPolicy.Engine.RSPAMD for policy in policies.values()):
        try:
            return rspamd.check(raw, mail_from=mail_from, recipients=recipients, client_ip=client_ip or "",
                                helo=helo)
        except ScannerUnavailable as error:
            log.warning("rspamd unavailable, scoring with the built-in rules: %s", error)
    return spam_rules.score(raw, client_ip=client_ip, helo=helo, account_ids=lambda: _account_ids(recipients),
                            parsed=parsed)


def spam_headers(spam: SpamResult, policies: dict[str, FilterPolicy]) -> bytes:
    """X-Spam-Flag (when flagged), X-Spam-Score and X-Spam-Status, in SpamAssassin's shape.

    required= is the lowest header_score of the recipient domains: one header serves all.
    """
    required = min(policy.header_score for policy in policies.values())
    flagged = spam.score >= required
    tests = ",".join(sorted({_RULE_NAME.sub("_", finding.rule) for finding in spam.findings})) or "none"
    status = f"{'Yes' if flagged else 'No'}, score={spam.score:.1f} required={required:.1f}"
    fields = (b"X-Spam-Flag: YES\r\n" if flagged else b"") + f"X-Spam-Score: {spam.score:.1f}\r\n".encode()
    return fields + f"X-Spam-Status: {status}\r\n\ttests={_fold(tests)}\r\n".encode("ascii")


def strip_spam_fields(raw: bytes) -> bytes:
    """The message without X-Spam-* header fields: only ours may say what our scan found."""
    end = raw.find(b"\r\n\r\n")
    header_end = len(raw) if end < 0 else end + 2
    header = raw[:header_end]
    if b"x-spam-" not in header.lower():
        return raw
    return _SPAM_FIELD.sub(b"", header) + raw[header_end:]


def report(spam: SpamResult | None) -> dict | None:
    """The spam verdict as QueuedMessage.spam_report stores it."""
    if spam is None:
        return None
    return {"engine": spam.engine, "score": spam.score,
            "findings": [{"rule": f.rule, "score": f.score, "detail": f.detail} for f in spam.findings]}


def filter_mx(raw: bytes, *, mail_from: str, recipients: list[str], client_ip: str | None,
              helo: str, received: bytes = b"", refuse_spam: bool = True) -> tuple[bytes, ScanResult]:
    """The MX's whole filter step: the message to queue (X-Spam-* fields replaced) and the
    verdict. A quarantined message is held here (durably, before the 250) with our
    `received` trace field on top, as it would have been queued, so a release delivers
    it unchanged (RFC 5321 §4.4); refusals and holds are counted per recipient domain."""
    raw = strip_spam_fields(raw)
    result = scan_inbound(raw, mail_from=mail_from, recipients=recipients, client_ip=client_ip, helo=helo,
                          refuse_spam=refuse_spam)
    if result.action == "quarantine":
        held = quarantine.hold(received + raw, mail_from=mail_from, recipients=recipients, kind=result.kind,
                               reason=result.reason, score=result.spam.score if result.spam else None,
                               client_ip=client_ip, helo=helo)
        result.reply = f"250 2.0.0 OK: held as Q{held.pk}"
    if result.action in ("reject", "quarantine"):
        for domain in recipient_policies(recipients):
            pending_counts.note(domain, result.kind)
    elif result.action == "accept":
        raw = result.headers + raw
    return raw, result


# --- the steps ------------------------------------------------------------------------


def _blocked_attachments(raw: bytes, policies, structure) -> list[tuple[FilterPolicy, str]]:
    found = []
    for policy in policies.values():
        reason = attachments.blocked(raw, policy, structure)
        if reason:
            found.append((policy, reason))
    return found


def _virus_check(raw: bytes, policies) -> ScanResult | None:
    try:
        where = clamav.scanner()
        if where is None:
            return None
        verdict = clamav.scan(raw, where)
    except clamav.NotRunning as error:
        log.warning("no clamd behind the socket found on this machine; delivering unscanned: %s", error)
        return None
    except ScannerUnavailable as error:
        if all(policy.scanner_down == FilterPolicy.ScannerDown.ACCEPT for policy in policies.values()):
            log.warning("virus scanner unavailable; delivering unscanned as the domains chose: %s", error)
            return None
        log.warning("virus scanner unavailable; asking the sender to retry: %s", error)
        return ScanResult(action="tempfail", kind="virus", reason=str(error),
                          reply="451 4.7.1 The virus scanner is unavailable; please try again later")
    if not verdict.infected:
        return None
    action = _hold_action([policy.virus_action for policy in policies.values()])
    name = _printable(verdict.name) or "unknown"
    return _refusal(action, "virus", f"virus {name}", f"554 5.7.1 Message refused: it contains a virus ({name})")


def _hold_action(choices: list[str]) -> str:
    """reject if any domain concerned rejects (mail that must not arrive anywhere), else quarantine."""
    return "reject" if FilterPolicy.Hold.REJECT in choices else "quarantine"


def _refusal(action: str, kind: str, reason: str, reply: str) -> ScanResult:
    return ScanResult(action=action, kind=kind, reason=reason, reply=reply if action == "reject" else "")


def _account_ids(recipients: list[str]) -> list[int]:
    """The accounts the recipients reach (aliases followed): their personal Bayes data counts."""
    from mailcore.delivery.expand import expand

    ids = []
    for address in recipients:
        for account_id in expand(address).accounts:
            if account_id not in ids:
                ids.append(account_id)
    return ids


def _printable(text: str, limit: int = 120) -> str:
    return _SAFE.sub(" ", text or "").strip()[:limit]


def _fold(tests: str) -> str:
    """Break the tests= list after commas so no header line nears 998 octets (RFC 5322 §2.1.1)."""
    lines, line = [], ""
    for name in tests.split(","):
        if line and len(line) + len(name) > 70:
            lines.append(line)
            line = ""
        line += ("," if line else "") + name
    lines.append(line)
    return ",\r\n\t".join(lines)
