"""Mailbox fixtures: messages put into alice's folders through the store."""
import itertools
from datetime import UTC, datetime, timedelta

import pytest

_counter = itertools.count(1)


def make_raw(subject="Hello", sender="Bob <bob@example.test>", to="alice@example.test", body="Hi",
             message_id=None, in_reply_to=None, references=None, size_pad=0) -> bytes:
    number = next(_counter)
    lines = [f"From: {sender}", f"To: {to}", f"Subject: {subject}",
             "Date: Mon, 2 Nov 2026 10:00:00 +0000",
             f"Message-ID: {message_id or f'<m{number}@example.test>'}"]
    if in_reply_to:
        lines.append(f"In-Reply-To: {in_reply_to}")
    if references:
        lines.append(f"References: {references}")
    lines += ["Content-Type: text/plain; charset=utf-8", "", body + "x" * size_pad, ""]
    return "\r\n".join(lines).encode()


@pytest.fixture
def put(alice):
    """put(folder, **headers) appends a message to alice's folder; returns Appended."""
    from mailcore.store.append import append

    base = datetime(2026, 11, 1, tzinfo=UTC)

    def put_message(folder="INBOX", flags=(), minutes=0, **fields):
        return append(alice.pk, folder, make_raw(**fields), flags=flags,
                      internal_date=base + timedelta(minutes=minutes or next(_counter)))

    return put_message


@pytest.fixture
def inbox(alice):
    from mailcore.store.folders import get_folder

    return get_folder(alice.pk, "INBOX")
