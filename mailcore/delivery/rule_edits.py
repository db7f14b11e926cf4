"""Checking and changing an account's rules: one place for the panel and any later API.

clean_rule() turns what a user typed into the JSON user_rules.py runs, or raises one
ValidationError whose keys name the field: "name", "match", "conditions", "actions",
and "conditions.<n>.<key>" / "actions.<n>.<key>" for row n (counted from 0) of the
rows given, so a form can put each message next to the input it is about.
"""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mailcore.directory.addresses import parse_address
from mailcore.sizes import format_size, parse_size
from mailcore.store.errors import StoreError
from mailcore.store.folders import canonical_name

from .models import MailRule
from .user_rules import ACTIONS, FIELDS, SIZE_OPS, TEXT_OPS

MAX_RULES = 100  # per account: every delivery to it runs them all
MAX_CONDITIONS = 20
MAX_ACTIONS = 10
MAX_FORWARDS = 5  # per rule; each is another message leaving the server
MAX_VALUE_CHARS = 500
MAX_HEADER_NAME_CHARS = 76
# RFC 5322 §3.6.8 field-name: printable US-ASCII except the colon.
_HEADER_CHARS = {chr(c) for c in range(33, 127)} - {":"}


class _Errors:
    def __init__(self):
        self.by_key: dict[str, list[str]] = {}

    def add(self, key: str, message: str):
        self.by_key.setdefault(key, []).append(message)

    def raise_any(self):
        if self.by_key:
            raise ValidationError(self.by_key)


def clean_rule(data: dict, account=None, rule=None) -> dict:
    """Return {"name", "match", "active", "conditions", "actions"} normalised, or raise.

    Given the account, a forward to an address that delivers back to it is refused, and
    so is one past the account's cap on forward targets (forward_limits.py; the rule being
    edited, `rule`, is not counted twice).
    """
    errors = _Errors()
    name = " ".join(str(data.get("name") or "").split())
    if not name:
        errors.add("name", _("Give the rule a name."))
    elif len(name) > 100:
        errors.add("name", _("The name is longer than 100 characters."))
    match = data.get("match") or MailRule.Match.ALL
    if match not in MailRule.Match.values:
        errors.add("match", _("Choose whether all conditions or any condition must hold."))
    conditions = [_clean_condition(row, i, errors) for i, row in enumerate(data.get("conditions") or [])]
    actions = [_clean_action(row, i, errors, account) for i, row in enumerate(data.get("actions") or [])]
    if len(conditions) > MAX_CONDITIONS:
        errors.add("conditions", _("A rule may have at most %(count)d conditions.") % {"count": MAX_CONDITIONS})
    if not actions:
        errors.add("actions", _("Add at least one action."))
    elif len(actions) > MAX_ACTIONS:
        errors.add("actions", _("A rule may have at most %(count)d actions.") % {"count": MAX_ACTIONS})
    kinds = [action.get("action") for action in actions if action]
    if "discard" in kinds and "move" in kinds:
        errors.add("actions", _("A rule cannot both move and discard a message: choose one."))
    if kinds.count("forward") > MAX_FORWARDS:
        errors.add("actions", _("A rule may forward to at most %(count)d addresses.") % {"count": MAX_FORWARDS})
    if account is not None:
        _check_forward_cap(actions, account, rule, errors)
    errors.raise_any()
    return {"name": name, "match": match, "active": bool(data.get("active", True)),
            "conditions": conditions, "actions": actions}


def _check_forward_cap(actions: list[dict], account, rule, errors: _Errors):
    """The account's forward targets, its forwarding and all its rules together, are capped
    (HOPTHU_MAX_FORWARD_TARGETS): the first forward past the cap carries the error."""
    from . import forward_limits

    cap = forward_limits.max_targets()
    if not cap:
        return
    targets = forward_limits.rule_targets(account, except_rule=rule) | forward_limits.directory_targets(account)
    for index, action in enumerate(actions):
        if action.get("action") == "forward" and action.get("address"):
            targets.add(action["address"].lower())
            if len(targets) > cap:
                errors.add(f"actions.{index}.address", forward_limits.too_many_message(cap))
                return


def _clean_condition(row: dict, index: int, errors: _Errors) -> dict:
    key = f"conditions.{index}."
    field = row.get("field")
    op = row.get("op")
    value = row.get("value")
    if field not in FIELDS:
        errors.add(key + "field", _("Choose what the condition looks at."))
        return {}
    if field == "size":
        if op not in SIZE_OPS:
            errors.add(key + "op", _("A size is compared with \"larger than\" or \"smaller than\"."))
        try:
            size = parse_size(str(value if value is not None else ""))
        except ValueError:
            errors.add(key + "value", _("Write a size such as 500K, 10M or a number of bytes."))
            return {}
        return {"field": field, "op": op, "value": size}
    condition = {"field": field, "op": op}
    if field == "header":
        header = str(row.get("header") or "").strip().rstrip(":").strip()
        if not header:
            errors.add(key + "header", _("Name the header, for example List-Id."))
        elif len(header) > MAX_HEADER_NAME_CHARS or not set(header) <= _HEADER_CHARS:
            errors.add(key + "header", _("A header name is letters, digits and dashes, without a colon."))
        condition["header"] = header
    if op not in TEXT_OPS:
        errors.add(key + "op", _("Choose contains, does not contain, is or matches."))
    text = " ".join(str(value or "").split())
    if not text:
        errors.add(key + "value", _("Write the text to look for."))
    elif len(text) > MAX_VALUE_CHARS:
        errors.add(key + "value", _("The text is longer than %(count)d characters.") % {"count": MAX_VALUE_CHARS})
    condition["value"] = text
    if row.get("ignore_accents"):
        condition["ignore_accents"] = True
    return condition


def _clean_action(row: dict, index: int, errors: _Errors, account) -> dict:
    key = f"actions.{index}."
    kind = row.get("action")
    if kind not in ACTIONS:
        errors.add(key + "action", _("Choose an action."))
        return {}
    action = {"action": kind}
    if kind == "move":
        try:
            action["folder"] = canonical_name(str(row.get("folder") or ""))
        except StoreError as error:
            errors.add(key + "folder", error.messages[0])
    elif kind == "forward":
        try:
            address = parse_address(str(row.get("address") or ""), field="address", allow_quoted=True)
        except ValidationError as error:
            errors.add(key + "address", error.messages[0])
        else:
            action["address"] = str(address)
            if account is not None and _reaches(address, account):
                errors.add(key + "address", _("Mail to %(address)s comes back to this mailbox: forwarding "
                                              "there would loop.") % {"address": address})
    return action


def _reaches(address, account) -> bool:
    from .expand import expand

    return account.pk in expand(str(address)).accounts


def describe_condition(condition: dict) -> dict:
    """The condition with its value as people write it (sizes in units), for forms."""
    if condition.get("field") == "size":
        return {**condition, "value": format_size(int(condition["value"]))}
    return dict(condition)


# Changing rules. Positions are kept 0..n-1 so "up" and "down" swap with a neighbour.


def create_rule(account, data: dict) -> MailRule:
    cleaned = clean_rule(data, account)
    with transaction.atomic():
        # The rows themselves are locked (PostgreSQL allows no FOR UPDATE with COUNT or MAX).
        positions = list(MailRule.objects.select_for_update().filter(account=account).values_list(
            "position", flat=True))
        if len(positions) >= MAX_RULES:
            raise ValidationError({"name": _("An account may have at most %(count)d rules.") % {"count": MAX_RULES}})
        return MailRule.objects.create(account=account, position=max(positions, default=-1) + 1, **cleaned)


def update_rule(rule: MailRule, data: dict) -> MailRule:
    cleaned = clean_rule(data, rule.account, rule)
    for key, value in cleaned.items():
        setattr(rule, key, value)
    rule.save(update_fields=list(cleaned))
    return rule


def set_active(rule: MailRule, active: bool):
    rule.active = active
    rule.save(update_fields=["active"])


def move_rule(rule: MailRule, step: int) -> bool:
    """Move a rule one place up (step -1) or down (+1); False when it is already at that end."""
    with transaction.atomic():
        rules = list(MailRule.objects.select_for_update().filter(account_id=rule.account_id).order_by(
            "position", "id"))
        index = next(i for i, other in enumerate(rules) if other.pk == rule.pk)
        other = index + step
        if not 0 <= other < len(rules):
            return False
        rules[index], rules[other] = rules[other], rules[index]
        for position, each in enumerate(rules):
            each.position = position
        MailRule.objects.bulk_update(rules, ["position"])
    rule.position = other
    return True


def delete_rule(rule: MailRule):
    with transaction.atomic():
        rule.delete()
        rules = list(MailRule.objects.select_for_update().filter(account_id=rule.account_id).order_by(
            "position", "id"))
        for position, each in enumerate(rules):
            each.position = position
        MailRule.objects.bulk_update(rules, ["position"])
