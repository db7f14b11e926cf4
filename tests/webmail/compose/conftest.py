"""Fixtures for compose tests: messages in alice's store and a form-posting helper."""
from email import policy
from email.parser import BytesParser

import pytest

from mailcore.delivery.models import QueuedMessage
from mailcore.store import blobs
from mailcore.store.append import append
from mailcore.store.fetch import fetch_raw
from mailcore.store.models import Message
from webmail.models import preferences_for


@pytest.fixture
def send_at_once(alice):
    preferences = preferences_for(alice)
    preferences.undo_send_seconds = 0
    preferences.save()
    return preferences


def stored(account, raw: bytes, folder="INBOX", flags=()):
    return append(account.pk, folder, raw, flags=flags)


def parse(raw: bytes):
    return BytesParser(policy=policy.default).parsebytes(raw)


def queued():
    """The one queued message, parsed, with its recipients."""
    message = QueuedMessage.objects.select_related("blob").get()
    return parse(blobs.read(message.blob.digest)), set(message.recipients.values_list("address", flat=True))


def in_folder(account, special_use):
    return list(Message.objects.filter(account=account, folder__special_use=special_use).order_by("uid"))


def parsed_copy(message_row):
    return parse(fetch_raw(message_row))


def form(**fields):
    data = {"from_address": "alice@example.test", "to": "", "cc": "", "bcc": "", "subject": "Hello",
            "body": "Hi there.\n", "action": "send"}
    data.update(fields)
    return data
