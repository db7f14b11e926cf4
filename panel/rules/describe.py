"""Rules in words: mailcore's (delivery/rule_text.py), shared with the webmail."""
from mailcore.delivery.rule_text import action_text, condition_text, rule_rows  # noqa: F401
