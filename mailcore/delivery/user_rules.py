"""Per-account server-side rules: does a message match, and what do the rules do with it.

A rule (delivery.models.MailRule) holds conditions and actions as JSON, in the shape
rule_edits.clean_rule() checks and normalises. Local delivery runs an account's active
rules in position order for each copy (rules.py); the panel's "test this rule" page runs
the same code on a pasted message, so what it shows is what delivery does.

Matching, after Sieve (RFC 5228) but simpler:
- From, To/Cc and any header are read decoded (RFC 2047 encoded-words), compared with
  case folded (Unicode casefold), and optionally with diacritics folded too, so
  "hoa don" matches "Hóa đơn".
- Address fields match when any address does: its addr-spec, its display name, or both
  as "Name <addr>" (so "contains example.org" and "is bob@example.org" both work).
- "matches" is a wildcard of the whole value ("*" any run, "?" one character), never a
  regular expression from the user: the matcher below runs in O(len(value) ×
  len(pattern)) at worst, with no backtracking blow-up (RFC 5228 §2.7.1 :matches).
- A missing header matches no positive test and every "does not contain".
"""
from collections import defaultdict
from dataclasses import dataclass, field

from mailcore.folding import strip_accents
from mailcore.mime.headers import decode_words

from . import trace
from .models import MailRule

TEXT_FIELDS = ("from", "to", "subject", "header")
FIELDS = (*TEXT_FIELDS, "size")
TEXT_OPS = ("contains", "not_contains", "is", "matches")
SIZE_OPS = ("larger", "smaller")
ACTIONS = ("move", "mark_read", "flag", "forward", "discard", "stop")
MAX_MATCH_CHARS = 8192  # of one header value: bounds the wildcard matcher's work

def fold(text: str, accents: bool = False) -> str:
    """Text as rules compare it: case folded, and with accents removed when asked."""
    return (strip_accents(text) if accents else text).casefold()


def wildcard_match(pattern: str, text: str) -> bool:
    """Whether text matches pattern as a whole; "*" is any run, "?" any one character.

    The greedy two-pointer algorithm: on a mismatch it returns only to the last "*",
    so the work is bounded by len(text) × len(pattern), whatever the input.
    """
    p = t = 0
    star, mark = -1, 0
    while t < len(text):
        if p < len(pattern) and pattern[p] == "*":
            star, mark = p, t
            p += 1
        elif p < len(pattern) and (pattern[p] == "?" or pattern[p] == text[t]):
            p += 1
            t += 1
        elif star >= 0:
            p, mark = star + 1, mark + 1
            t = mark
        else:
            return False
    while p < len(pattern) and pattern[p] == "*":
        p += 1
    return p == len(pattern)


class MailView:
    """The parts of one message rules look at, decoded once and only when asked."""

    def __init__(self, raw: bytes, size: int | None = None):
        self.raw = raw
        self.size = len(raw) if size is None else size
        self._headers = None
        self._values: dict = {}

    @property
    def headers(self):
        if self._headers is None:
            self._headers = trace.parsed_header(self.raw)
        return self._headers

    def values(self, field_name: str, header: str = "") -> list[str]:
        """The decoded values a text condition on this field compares against."""
        key = (field_name, header.lower())
        if key not in self._values:
            self._values[key] = [value[:MAX_MATCH_CHARS] for value in self._read(field_name, header)]
        return self._values[key]

    def _read(self, field_name: str, header: str) -> list[str]:
        if field_name == "from":
            return _address_values(self.headers, ("from",))
        if field_name == "to":
            return _address_values(self.headers, ("to", "cc"))
        if field_name == "subject":
            return [decode_words(value) for value in self.headers.get_all("subject") or []]
        return [decode_words(value) for value in self.headers.get_all(header) or []]


def _address_values(headers, names) -> list[str]:
    values = []
    for name in names:
        for display, addr in headers.addresses(name):
            display = decode_words(display)
            values.extend(value for value in (addr, display, f"{display} <{addr}>" if display else "") if value)
    return values


def condition_matches(condition: dict, view: MailView) -> bool:
    """Whether one (validated) condition holds for the message."""
    op = condition["op"]
    if condition["field"] == "size":
        limit = int(condition["value"])
        return view.size > limit if op == "larger" else view.size < limit
    accents = bool(condition.get("ignore_accents"))
    wanted = fold(str(condition["value"]), accents)
    values = [fold(value, accents) for value in view.values(condition["field"], condition.get("header", ""))]
    if op == "contains":
        return any(wanted in value for value in values)
    if op == "not_contains":
        return not any(wanted in value for value in values)
    if op == "is":
        return any(wanted == value for value in values)
    return any(wildcard_match(wanted, value) for value in values)  # "matches"


def rule_matches(rule, view: MailView) -> bool:
    """All (or any) of the rule's conditions hold; a rule without conditions takes every message."""
    if not rule.conditions:
        return True
    results = (condition_matches(condition, view) for condition in rule.conditions)
    return any(results) if rule.match == MailRule.Match.ANY else all(results)


@dataclass
class Decision:
    """What an account's rules do with one copy. folder None: where it would go anyway."""

    folder: str | None = None
    flags: list = field(default_factory=list)
    forwards: list = field(default_factory=list)
    discard: bool = False
    matched: list = field(default_factory=list)  # names of the rules that matched, in order
    stopped_by: str = ""  # the rule whose "stop" ended the run


_FLAG_OF = {"mark_read": "\\Seen", "flag": "\\Flagged"}


def decide(rules, view: MailView) -> Decision:
    """Run rules (in their order) on a message; inactive rules are skipped.

    Every matching rule's actions apply: the last "move" names the folder, flags add up,
    each "forward" adds an address, "discard" drops the copy whatever was moved, and
    "stop" ends the run after its own rule's actions (RFC 5228 §3.3).
    """
    decision = Decision()
    for rule in rules:
        if not rule.active or not rule_matches(rule, view):
            continue
        decision.matched.append(rule.name)
        for action in rule.actions:
            kind = action["action"]
            if kind == "move":
                decision.folder = action["folder"]
            elif kind in _FLAG_OF and _FLAG_OF[kind] not in decision.flags:
                decision.flags.append(_FLAG_OF[kind])
            elif kind == "forward" and action["address"].lower() not in map(str.lower, decision.forwards):
                decision.forwards.append(action["address"])
            elif kind == "discard":
                decision.discard = True
        if any(action["action"] == "stop" for action in rule.actions):
            decision.stopped_by = rule.name
            break
    return decision


@dataclass
class Explanation:
    """For the test tool: each rule, whether it matched, and each condition's result."""

    rules: list  # [(rule, matched or None when not reached, [(condition, result)])]
    decision: Decision


def explain(rules, view: MailView) -> Explanation:
    decision = decide(rules, view)
    stopped = False
    report = []
    for rule in rules:
        results = [(condition, condition_matches(condition, view)) for condition in rule.conditions]
        matched = None if stopped or not rule.active else rule_matches(rule, view)
        report.append((rule, matched, results))
        stopped = stopped or bool(matched and any(a["action"] == "stop" for a in rule.actions))
    return Explanation(report, decision)


class RuleBook:
    """The active rules of the accounts one delivery round reaches, read in one query,
    with which of the folders they move to exist (one more query)."""

    def __init__(self, account_ids):
        self._rules: dict[int, list] = defaultdict(list)
        self._folders: set[tuple[int, str]] = set()
        account_ids = set(account_ids)
        if not account_ids:
            return
        wanted = set()
        for rule in MailRule.objects.filter(account_id__in=account_ids, active=True).order_by(
                "account_id", "position", "id"):
            self._rules[rule.account_id].append(rule)
            wanted.update((rule.account_id, a["folder"]) for a in rule.actions if a.get("action") == "move")
        if wanted:
            from mailcore.store.models import Folder

            self._folders = set(Folder.objects.filter(
                account_id__in={account for account, _name in wanted},
                name__in={name for _account, name in wanted}).values_list("account_id", "name"))

    def rules_of(self, account_id: int) -> list:
        return self._rules.get(account_id, [])

    def folder_exists(self, account_id: int, name: str) -> bool:
        return name == "INBOX" or (account_id, name) in self._folders
