"""Rules in words, for the rule lists and the panel's test page ("Subject contains “invoice”")."""
from django.utils.translation import gettext as _

from mailcore.sizes import format_size

from .rule_forms import ACTION_CHOICES, FIELD_CHOICES, OP_CHOICES

_FIELDS = dict(FIELD_CHOICES)
_OPS = dict(OP_CHOICES)
_ACTIONS = dict(ACTION_CHOICES)


def condition_text(condition: dict) -> str:
    field = condition.get("field")
    value = format_size(int(condition["value"])) if field == "size" else f"“{condition.get('value', '')}”"
    subject = condition.get("header", "") if field == "header" else str(_FIELDS.get(field, field))
    text = _("%(field)s %(test)s %(value)s") % {"field": subject, "test": _OPS.get(condition.get("op"), ""),
                                                 "value": value}
    if condition.get("ignore_accents"):
        text = _("%(condition)s (ignoring accents)") % {"condition": text}
    return text


def action_text(action: dict) -> str:
    label = str(_ACTIONS.get(action.get("action"), action.get("action")))
    detail = action.get("folder") or action.get("address")
    return _("%(action)s %(detail)s") % {"action": label, "detail": detail} if detail else label


def rule_rows(rules) -> list[dict]:
    """Each rule with its conditions and actions as text, for a template."""
    return [{"rule": rule, "conditions": [condition_text(c) for c in rule.conditions],
             "actions": [action_text(a) for a in rule.actions]} for rule in rules]
