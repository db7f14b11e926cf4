"""GDPR erase (docs/export.md): no message, body, log row or audit entry of the account
is left, other accounts keep theirs, and one record says the erase happened."""
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mailcore.accountdata.erase import erase_account
from mailcore.audit import log as audit_log
from mailcore.audit.models import AuditEntry
from mailcore.auth.models import Lockout, LoginFailure
from mailcore.delivery.models import MailRule, QueuedMessage, QueueRecipient
from mailcore.delivery.queue import Envelope, enqueue
from mailcore.directory.models import Account
from mailcore.directory.services import create_alias
from mailcore.filters.models import QuarantinedMessage, QuarantineRecipient
from mailcore.store import blobs
from mailcore.store.append import Target, append, append_many
from mailcore.store.messages import expunge, store_flags
from mailcore.store.models import Blob, Folder, Message, RecoverableMessage


@pytest.fixture
def superadmin(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("root", email="", password="not used here")


@pytest.fixture
def lived_in(alice, bob, superadmin):
    """alice's account with mail, deleted mail, logs and audit entries; bob shares a message."""
    append(alice.pk, "INBOX", b"Subject: only alice\r\n\r\nprivate\r\n")
    append_many(b"Subject: to both\r\n\r\nshared\r\n", [Target(alice.pk), Target(bob.pk)])
    gone = append(alice.pk, "INBOX", b"Subject: deleted\r\n\r\ndeleted body\r\n")
    store_flags(alice.pk, "INBOX", [gone.uid], ["\\Deleted"])
    expunge(alice.pk, "INBOX", [gone.uid])
    enqueue(b"Subject: from alice\r\n\r\nx\r\n", Envelope("alice@example.test", ["carol@example.net"],
                                                          source="submission", account_id=alice.pk))
    enqueue(b"Subject: to alice and bob\r\n\r\ny\r\n", Envelope("x@example.net", ["alice@example.test",
                                                                                 "bob@example.test"]))
    enqueue(b"Subject: to bob\r\n\r\nz\r\n", Envelope("x@example.net", ["bob@example.test"]))
    held = QuarantinedMessage.objects.create(
        blob=Blob.objects.first(), size=1, mail_from="spam@example.net", subject="win", kind="spam", reason="spam",
        received_at=timezone.now(), expires_at=timezone.now() + timedelta(days=30))
    QuarantineRecipient.objects.create(message=held, address="alice@example.test", domain="example.test",
                                       account=alice)
    LoginFailure.objects.create(remote_ip="192.0.2.1", username="alice@example.test", protocol="imap",
                                created=timezone.now())
    Lockout.objects.create(scope=Lockout.Scope.ACCOUNT, key="alice@example.test",
                           until=timezone.now() + timedelta(hours=1))
    MailRule.objects.create(account=alice, name="Invoices")
    audit_log.record(superadmin, "account.password", "account", "alice@example.test", domain="example.test")
    audit_log.record(superadmin, "rule.create", "rule", "alice@example.test: Invoices", domain="example.test")
    audit_log.record(superadmin, "account.password", "account", "bob@example.test", domain="example.test")
    return alice


def test_erase_leaves_no_message_body_log_or_audit_entry_of_the_account(lived_in, bob, superadmin):
    alice = lived_in
    alice_digests = set(Message.objects.filter(account=alice).values_list("blob__digest", flat=True)) | set(
        RecoverableMessage.objects.filter(account=alice).values_list("blob__digest", flat=True))
    bob_digests = set(Message.objects.filter(account=bob).values_list("blob__digest", flat=True))
    erased = erase_account("alice@example.test", superadmin, ip="192.0.2.9")

    assert not Account.objects.filter(pk=alice.pk).exists()
    assert not Message.objects.filter(account_id=alice.pk).exists()
    assert not RecoverableMessage.objects.filter(account_id=alice.pk).exists()
    assert not Folder.objects.filter(account_id=alice.pk).exists()
    assert not MailRule.objects.filter(account_id=alice.pk).exists()
    for digest in alice_digests - bob_digests:
        assert not Blob.objects.filter(digest=digest).exists()
        assert not blobs.blob_path(digest).exists()
    for digest in bob_digests:  # the message alice shared with bob is still his
        assert blobs.blob_path(digest).exists()
    assert erased.blobs >= 2

    assert not QueueRecipient.objects.filter(address__icontains="alice").exists()
    assert not QueuedMessage.objects.filter(mail_from__icontains="alice").exists()
    assert not QueuedMessage.objects.filter(account_id=alice.pk).exists()
    assert sorted(QueueRecipient.objects.values_list("address", flat=True)) == ["bob@example.test"] * 2
    assert not QuarantineRecipient.objects.exists() and not QuarantinedMessage.objects.exists()
    assert not LoginFailure.objects.exists() and not Lockout.objects.exists()

    left = list(AuditEntry.objects.order_by("pk").values_list("action", "object_repr"))
    assert left == [("account.password", "bob@example.test"), ("account.erase", "alice@example.test")]
    record = AuditEntry.objects.get(action="account.erase")
    assert (record.actor_name, str(record.ip), record.domain) == ("root", "192.0.2.9", "example.test")
    assert record.before is None and record.after is None  # nothing of the content


def test_no_row_anywhere_names_the_erased_account(lived_in, superadmin):
    """Every model's text columns, searched for the address: only the erase record is left."""
    from django.apps import apps
    from django.db import models

    erase_account("alice@example.test", superadmin)
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                rows = model._base_manager.filter(**{f"{field.name}__icontains": "alice@example.test"})
                found += [(model.__name__, field.name) for _row in rows]
    assert found == [("AuditEntry", "object_repr")]


def test_the_erase_record_outlives_the_audit_retention(lived_in, superadmin, settings):
    erase_account("alice@example.test", superadmin)
    settings.HOPTHU_AUDIT_RETENTION_DAYS = 30
    audit_log.prune(now=timezone.now() + timedelta(days=400))
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["account.erase"]


def test_an_alias_pointing_only_to_it_refuses_the_erase_and_changes_nothing(lived_in, superadmin):
    create_alias("sales@example.test", ["alice@example.test"])
    with pytest.raises(ValidationError):
        erase_account("alice@example.test", superadmin)
    assert Account.objects.filter(pk=lived_in.pk).exists()
    assert QueueRecipient.objects.filter(address="alice@example.test").exists()
    assert not AuditEntry.objects.filter(action="account.erase").exists()
