"""An account's rules written as a Sieve script (RFC 5228), for download.

HopThu runs every matching rule (user_rules.decide), so each rule is its own `if`, not
an `elsif` of the one before (which Sieve would skip once one matched). Mapping:
- From, Subject, a named header: `header :contains "from" "…"` (:is, :matches alike);
  To or Cc: `header ["to", "cc"]`; "does not contain": `not header :contains …`;
  size: `size :over N` / `:under N` (RFC 5228 §5.9).
- Several conditions: allof(…) for "all", anyof(…) for "any"; none: `true`.
- "Ignore accents" names HopThu's comparator "x-hopthu-fold-accents" (RFC 5228 §2.7.3),
  which other servers refuse at `require` rather than run the rule differently.
- An inactive rule's test is `allof (false, …)`: kept whole, run nowhere.
- Move: fileinto (§4.1); forward a copy: `redirect :copy` (RFC 3894); mark read / flag:
  addflag "\\Seen" / "\\Flagged" (imap4flags, RFC 5232); discard; stop.
- The rule's name is the comment `# rule: name` on the line before it.
"""
from ..models import MailRule

ACCENT_COMPARATOR = "x-hopthu-fold-accents"
HEADER_OF = {"from": ["from"], "to": ["to", "cc"], "subject": ["subject"]}
FLAG_OF = {"mark_read": "\\Seen", "flag": "\\Flagged"}


def quote(text: str) -> str:
    """A Sieve quoted string (RFC 5228 §2.4.2): backslash and quote escaped."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def string_list(values: list[str]) -> str:
    return quote(values[0]) if len(values) == 1 else "[" + ", ".join(quote(v) for v in values) + "]"


def _condition(condition: dict, needs: set) -> str:
    if condition["field"] == "size":
        return f"size {':over' if condition['op'] == 'larger' else ':under'} {int(condition['value'])}"
    names = HEADER_OF.get(condition["field"]) or [condition["header"]]
    op = condition["op"]
    match = {"contains": ":contains", "not_contains": ":contains", "is": ":is", "matches": ":matches"}[op]
    value = condition["value"]
    if op == "matches":  # a backslash is literal in our wildcards, an escape in Sieve's (§2.7.1)
        value = value.replace("\\", "\\\\")
    comparator = ""
    if condition.get("ignore_accents"):
        needs.add(f"comparator-{ACCENT_COMPARATOR}")
        comparator = f":comparator {quote(ACCENT_COMPARATOR)} "
    test = f"header {comparator}{match} {string_list(names)} {quote(value)}"
    return f"not {test}" if op == "not_contains" else test


def _test(rule, needs: set) -> str:
    conditions = [_condition(c, needs) for c in rule.conditions]
    if not conditions:
        test = "true"
    elif len(conditions) == 1 and rule.match != MailRule.Match.ANY:
        test = conditions[0]
    else:
        joined = ",\n        ".join(conditions)
        test = f"{'anyof' if rule.match == MailRule.Match.ANY else 'allof'} ({joined})"
    return test if rule.active else f"allof (false, {test})"


def _action(action: dict, needs: set) -> str:
    kind = action["action"]
    if kind == "move":
        needs.add("fileinto")
        return f"fileinto {quote(action['folder'])};"
    if kind == "forward":
        needs.add("copy")
        return f"redirect :copy {quote(action['address'])};"
    if kind in FLAG_OF:
        needs.add("imap4flags")
        return f"addflag {quote(FLAG_OF[kind])};"
    return f"{kind};"  # discard, stop


def render(rules, title: str = "") -> str:
    """The script for these rules, in their order."""
    needs: set = set()
    parts = []
    for rule in rules:
        test = _test(rule, needs)
        actions = "".join(f"    {_action(a, needs)}\n" for a in rule.actions)
        parts.append(f"# rule: {rule.name}\nif {test} {{\n{actions}}}\n")
    head = [f"# {line}" for line in title.splitlines() if line.strip()]
    if needs:
        head.append(f"require {string_list(sorted(needs))};")
    return "\n".join(["\n".join(head), *parts]).lstrip("\n") if head else "\n".join(parts)
