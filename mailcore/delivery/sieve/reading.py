"""A Sieve script read back into rules: what export.py writes, and what people write
by hand in the same subset. Whatever a HopThu rule cannot mean is reported with its line.

Import is all or nothing: when any line cannot be a rule, or any rule fails the editor's
own checks (rule_edits.clean_rule), nothing is saved and every problem is listed.
Reading:
- Top-level `if TEST { ACTIONS }` is a rule; an action outside any `if` is a rule with
  no conditions. `elsif` and `else` are refused: HopThu runs every matching rule, so an
  elsif chain has no rule of ours that means the same.
- TEST: true, one condition, allof(…) / anyof(…) of conditions, allof (false, …) for an
  inactive rule. Conditions: header / address (:all) with :contains, :is, :matches,
  `not` before a :contains, size :over / :under. From → "From", ["to","cc"] → "To or
  Cc", Subject → "Subject", any other single header → "Header named".
- ACTIONS: fileinto, redirect (:copy forwards a copy; without it the copy in this
  mailbox is dropped, as RFC 5228 §4.2 says, unless the rule also files it), addflag /
  setflag \\Seen and \\Flagged, discard, stop, keep. reject (RFC 5429) and vacation
  (RFC 5230) are read and refused with their line: HopThu rules do not refuse mail, and
  the vacation reply has its own settings page.
"""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import rule_edits
from .export import ACCENT_COMPARATOR
from .grammar import Command, SieveError, Test, parse

# RFC 5228 §3.2 require: what this reader understands.
KNOWN = {"fileinto", "copy", "imap4flags", "reject", "ereject", "vacation", "envelope",
         "comparator-i;ascii-casemap", "comparator-i;octet", "comparator-i;unicode-casemap",
         f"comparator-{ACCENT_COMPARATOR}"}
_MATCHES = {"contains", "is", "matches"}
_CASE_COMPARATORS = {"i;ascii-casemap", "i;unicode-casemap"}
_FLAGS = {"\\seen": "mark_read", "\\flagged": "flag"}


class _Problems:
    def __init__(self):
        self.found: list[SieveError] = []

    def add(self, line: int, message: str):
        self.found.append(SieveError(line, message))


def _strings(test: Test, problems: _Problems, count: int) -> list[list[str]] | None:
    lists = [arg for arg in test.args if isinstance(arg, list)]
    if len(lists) != count or len(lists) != len(test.args):
        problems.add(test.line, _("%(name)s takes %(count)d string arguments here.") % {
            "name": test.name, "count": count})
        return None
    return lists


def _condition(test: Test, problems: _Problems, negated: bool = False) -> dict | None:
    if test.name == "not":
        if negated or len(test.tests) != 1:
            problems.add(test.line, _("\"not\" is only read before one header test with :contains."))
            return None
        return _condition(test.tests[0], problems, negated=True)
    if test.name == "size":
        tags = [tag for tag, _line in test.tags]
        if negated or tags not in (["over"], ["under"]) or len(test.args) != 1 or not isinstance(test.args[0], int):
            problems.add(test.line, _("A size test is written size :over 500K or size :under 500K."))
            return None
        return {"field": "size", "op": "larger" if tags == ["over"] else "smaller", "value": test.args[0]}
    if test.name not in ("header", "address"):
        problems.add(test.line, _("The test %(name)s has no HopThu condition.") % {"name": test.name})
        return None
    match, accents, ok = "is", False, True
    tags = list(test.tags)
    while tags:
        tag, line = tags.pop(0)
        if tag in _MATCHES:
            match = tag
        elif tag == "comparator" and test.args and isinstance(test.args[0], list) and len(test.args[0]) == 1:
            name = test.args.pop(0)[0].lower()
            accents = name == ACCENT_COMPARATOR
            if not accents and name not in _CASE_COMPARATORS:
                problems.add(line, _("HopThu compares text without regard to case; the comparator %(name)s "
                                     "cannot be kept.") % {"name": name})
                ok = False
        elif test.name == "address" and tag == "all":
            pass
        else:
            problems.add(line, _("The tag :%(tag)s has no HopThu equivalent.") % {"tag": tag})
            ok = False
    lists = _strings(test, problems, 2)
    if not ok or lists is None:
        return None
    names, keys = [n.lower() for n in lists[0]], lists[1]
    if len(keys) != 1:
        problems.add(test.line, _("Give one value per test; for several, write one test each in anyof(…)."))
        return None
    if negated and match != "contains":
        problems.add(test.line, _("\"not\" is only read before one header test with :contains."))
        return None
    value = keys[0]
    if match == "matches":
        value, clean = _wildcard(value)
        if not clean:
            problems.add(test.line, _("HopThu wildcards cannot match a literal * or ?."))
            return None
    condition = {"op": "not_contains" if negated else match, "value": value}
    if accents:
        condition["ignore_accents"] = True
    if names == ["from"]:
        return {"field": "from", **condition}
    if sorted(names) == ["cc", "to"]:
        return {"field": "to", **condition}
    if names == ["subject"] and test.name == "header":
        return {"field": "subject", **condition}
    if len(names) == 1 and test.name == "header":
        return {"field": "header", "header": lists[0][0], **condition}
    problems.add(test.line, _("HopThu tests From, To or Cc together, Subject, or one header by name."))
    return None


def _wildcard(value: str) -> tuple[str, bool]:
    """A Sieve :matches key as our wildcard: "\\x" is x; a literal * or ? cannot be kept."""
    out, i = [], 0
    while i < len(value):
        if value[i] == "\\" and i + 1 < len(value):
            if value[i + 1] in "*?":
                return value, False
            out.append(value[i + 1])
            i += 2
        else:
            out.append(value[i])
            i += 1
    return "".join(out), True


def _test(test: Test, rule: dict, problems: _Problems):
    if test.name == "allof" and test.tests and test.tests[0].name == "false" and not test.tests[0].args:
        rule["active"] = False
        rest = test.tests[1:]
        if len(rest) != 1:
            problems.add(test.line, _("An inactive rule is written allof (false, TEST)."))
            return
        test = rest[0]
    if test.name == "true" and not test.args and not test.tests:
        return
    if test.name in ("allof", "anyof"):
        rule["match"] = "all" if test.name == "allof" else "any"
        parts = test.tests
    else:
        parts = [test]
    for part in parts:
        condition = _condition(part, problems)
        if condition is not None:
            rule["conditions"].append(condition)


def _actions(commands: list[Command], rule: dict, problems: _Problems):
    drop = False
    for command in commands:
        name, tags = command.name, [tag for tag, _line in command.tags]
        if command.block is not None or command.tests:
            problems.add(command.line, _("A rule's actions cannot hold tests or blocks of their own."))
        elif name in ("discard", "stop", "keep") and not command.args and not tags:
            if name != "keep":
                rule["actions"].append({"action": name})
        elif name == "fileinto" and not tags and _one(command):
            rule["actions"].append({"action": "move", "folder": command.args[0][0]})
        elif name == "fileinto":
            problems.add(command.line, _("fileinto is read with a folder name alone (HopThu moves the message; "
                                         ":copy and :flags cannot be kept)."))
        elif name == "redirect" and tags in ([], ["copy"]) and _one(command):
            rule["actions"].append({"action": "forward", "address": command.args[0][0]})
            drop = drop or not tags  # RFC 5228 §4.2: redirect cancels the implicit keep
        elif name in ("addflag", "setflag") and not tags and len(command.args) == 1 and isinstance(
                command.args[0], list) and all(flag.lower() in _FLAGS for flag in command.args[0]):
            rule["actions"].extend({"action": _FLAGS[flag.lower()]} for flag in command.args[0])
        elif name in ("reject", "ereject"):
            problems.add(command.line, _("HopThu rules cannot refuse a message (reject, RFC 5429)."))
        elif name == "vacation":
            problems.add(command.line, _("Set an automatic reply on the Vacation reply settings page, not in a "
                                         "rule (vacation, RFC 5230)."))
        else:
            problems.add(command.line, _("The action %(name)s has no HopThu equivalent.") % {"name": name})
    kinds = {action["action"] for action in rule["actions"]}
    if drop and not kinds & {"move", "discard"}:
        rule["actions"].append({"action": "discard"})


def _one(command: Command) -> bool:
    return len(command.args) == 1 and isinstance(command.args[0], list) and len(command.args[0]) == 1


def read_rules(script) -> list[tuple[int, dict]]:
    """[(line, rule data for clean_rule)], or SieveError / ExceptionGroup of SieveErrors."""
    problems = _Problems()
    rules = []
    loose: list[Command] = []  # actions outside any if: one rule taking every message

    for command in parse(script):
        if command.name == "require":
            wanted = _strings(command, problems, 1)
            for name in (wanted or [[]])[0]:
                if name.lower() not in KNOWN:
                    problems.add(command.line, _("The extension %(name)s is not supported.") % {"name": name})
        elif command.name == "if" and len(command.tests) == 1 and not command.args and command.block is not None:
            rule = {"name": command.note or _("Rule at line %(line)d") % {"line": command.line}, "match": "all",
                    "active": True, "conditions": [], "actions": []}
            _test(command.tests[0], rule, problems)
            _actions(command.block, rule, problems)
            rules.append((command.line, rule))
        elif command.name in ("elsif", "else"):
            problems.add(command.line, _("elsif and else are not supported: HopThu runs every rule that matches, "
                                         "so write each as its own if."))
        elif command.name == "if":
            problems.add(command.line, _("An if takes one test and a block."))
        else:
            loose.append(command)
    if loose:
        rule = {"name": loose[0].note or _("Every message"), "match": "all", "active": True,
                "conditions": [], "actions": []}
        _actions(loose, rule, problems)
        rules.append((loose[0].line, rule))
    if problems.found:
        raise ExceptionGroup("sieve", problems.found)
    return rules


def problems_of(error: BaseException) -> list[SieveError]:
    if isinstance(error, ExceptionGroup):
        return sorted(error.exceptions, key=lambda e: e.line)
    return [error]


def import_rules(account, script, replace: bool = False) -> list:
    """Save the script's rules to the account (after its own, or instead of them), all or
    none: returns the rules saved, or raises ExceptionGroup of SieveError by line."""
    try:
        found = read_rules(script)
    except SieveError as error:
        raise ExceptionGroup("sieve", [error]) from None
    if not found:  # "replace" with an empty script would delete every rule unasked
        raise ExceptionGroup("sieve", [SieveError(1, _("The script holds no rules."))])
    problems = []
    cleaned = []
    for line, data in found:
        try:
            cleaned.append(rule_edits.clean_rule(data, account))
        except ValidationError as error:
            for messages in error.message_dict.values():
                problems.extend(SieveError(line, message) for message in messages)
    if problems:
        raise ExceptionGroup("sieve", problems)
    saved = []
    try:
        with transaction.atomic():
            if replace:
                for rule in list(account.mail_rules.all()):
                    rule_edits.delete_rule(rule)
            for data in cleaned:
                saved.append(rule_edits.create_rule(account, data))
    except ValidationError as error:  # past the cap on rules, counted with the account's own
        raise ExceptionGroup("sieve", [SieveError(found[len(saved)][0], message)
                                       for messages in error.message_dict.values() for message in messages]) from None
    return saved
