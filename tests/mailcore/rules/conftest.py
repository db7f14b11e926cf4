"""User rules tests: helpers to build messages and rules."""
from types import SimpleNamespace

from tests.mailcore.smtp.conftest import mail_host, mx  # noqa: F401 (the MX listener fixtures)


def mail(*extra: str, sender="Carol <carol@example.net>", to="alice@example.test", subject="Lunch?",
         body="Shall we?") -> bytes:
    lines = [f"From: {sender}", f"To: {to}", f"Subject: {subject}", "Message-ID: <m1@example.net>", *extra, "",
             body, ""]
    return "\r\n".join(lines).encode()


def rule(*conditions, actions=({"action": "flag"},), match="all", active=True, name="r"):
    """An unsaved rule-like object, for matching tests that need no database."""
    return SimpleNamespace(name=name, match=match, active=active, conditions=list(conditions),
                           actions=list(actions))


def cond(field, op, value, **extra):
    return {"field": field, "op": op, "value": value, **extra}
