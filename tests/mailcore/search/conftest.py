"""Helpers for search tests: build real messages, append them, search like a user."""
from email.header import Header

import pytest

from mailcore.store.append import append
from mailcore.store.models import Message
from mailcore.store.search import SearchQuery, filter_messages, split_terms


def _build(subject="Hello", body="Hi there.", *, sender="bob@example.test", to="alice@example.test",
          charset="utf-8", encoding="8bit", content_type="text/plain", headers=b"") -> bytes:
    """Return a single-part message; subject is a str (encoded as RFC 2047 if not ASCII) or bytes."""
    if isinstance(subject, str) and not subject.isascii():
        subject = Header(subject, "utf-8").encode()
    subject = subject if isinstance(subject, bytes) else subject.encode()
    payload = body if isinstance(body, bytes) else body.encode(charset)
    return (
        b"From: " + sender.encode() + b"\r\nTo: " + to.encode() + b"\r\nSubject: " + subject
        + b"\r\nDate: Mon, 02 Nov 2026 10:00:00 +0700\r\nMIME-Version: 1.0\r\n" + headers
        + f"Content-Type: {content_type}; charset={charset}\r\n"
          f"Content-Transfer-Encoding: {encoding}\r\n\r\n".encode()
        + payload + b"\r\n"
    )


def _found(account, text="", *, queryset=None, **fields) -> set[str]:
    """Return the subjects of account's messages matching free text and field terms."""
    query = SearchQuery(text=split_terms(text), **{name: split_terms(value) for name, value in fields.items()})
    queryset = Message.objects.all() if queryset is None else queryset
    return set(filter_messages(queryset, account.pk, query).values_list("subject", flat=True))


@pytest.fixture
def build():
    return _build


@pytest.fixture
def found():
    return _found


@pytest.fixture
def deliver():
    """Append raw bytes to an account's folder and return the Appended result."""

    def deliver(account, raw, folder="INBOX"):
        return append(account.pk, folder, raw)

    return deliver
