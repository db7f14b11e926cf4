"""Helpers for store tests: small real messages."""
import pytest


def make_message(subject="Hello", body="Hi there.", sender="bob@example.test",
                 to="alice@example.test", extra_headers="") -> bytes:
    return (
        f"From: {sender}\r\nTo: {to}\r\nSubject: {subject}\r\n"
        f"Date: Mon, 02 Nov 2026 10:00:00 +0700\r\nMessage-ID: <{abs(hash(subject + body))}@example.test>\r\n"
        f"{extra_headers}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    ).encode()


@pytest.fixture
def message():
    return make_message
