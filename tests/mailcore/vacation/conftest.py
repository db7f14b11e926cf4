"""Vacation tests: alice is away; mail comes from carol at example.net."""
import pytest


@pytest.fixture
def away(alice):
    from mailcore.delivery.models import VacationReply

    return VacationReply.objects.create(account=alice, enabled=True, body="Back on Monday.", interval_days=7)


def message(*extra: str, to="alice@example.test", sender="carol@example.net", subject="Lunch?") -> bytes:
    lines = [f"From: Carol <{sender}>", f"To: {to}", f"Subject: {subject}",
             "Message-ID: <lunch-1@example.net>", "References: <earlier@example.net>", *extra, "", "Shall we?", ""]
    return "\r\n".join(lines).encode()
