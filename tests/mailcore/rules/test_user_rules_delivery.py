"""End to end through the real local delivery: enqueue, deliver_due_local, look in the store."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mailcore.delivery.local import deliver_due_local
from mailcore.delivery.models import MailRule, QueuedMessage, QueueRecipient
from mailcore.delivery.queue import Envelope, enqueue
from mailcore.store import blobs
from mailcore.store.models import Message
from tests.mailcore.rules.conftest import mail

pytestmark = pytest.mark.django_db


def arrive(raw=None, to=("alice@example.test",), mail_from="carol@example.net"):
    enqueue(raw or mail(), Envelope(mail_from=mail_from, recipients=list(to)))
    deliver_due_local()


def add_rule(account, *actions, conditions=(), position=0, **fields):
    return MailRule.objects.create(account=account, name=f"rule {position}", position=position,
                                   conditions=list(conditions), actions=list(actions), **fields)


def forwards():
    return QueuedMessage.objects.filter(source=QueuedMessage.Source.FORWARD)


def test_move_mark_read_and_flag_land_in_the_store(alice):
    add_rule(alice, {"action": "move", "folder": "Archive"}, {"action": "mark_read"}, {"action": "flag"},
             conditions=[{"field": "from", "op": "contains", "value": "carol"}])
    arrive()
    message = Message.objects.get(account=alice)
    assert message.folder.name == "Archive" and message.seen and message.flagged
    assert QueueRecipient.objects.get(address="alice@example.test").status == "delivered"


def test_a_rule_that_does_not_match_leaves_mail_in_the_inbox(alice):
    add_rule(alice, {"action": "move", "folder": "Archive"},
             conditions=[{"field": "subject", "op": "contains", "value": "invoice"}])
    arrive()
    message = Message.objects.get(account=alice)
    assert message.folder.name == "INBOX" and not message.seen


def test_a_missing_folder_falls_back_to_the_inbox(alice):
    add_rule(alice, {"action": "move", "folder": "Deleted since"}, {"action": "flag"})
    arrive()
    message = Message.objects.get(account=alice)
    assert message.folder.name == "INBOX" and message.flagged


def test_an_inactive_rule_does_nothing(alice):
    add_rule(alice, {"action": "discard"}, active=False)
    arrive()
    assert Message.objects.filter(account=alice, folder__name="INBOX").count() == 1


def test_discard_keeps_no_copy_sends_no_bounce_and_finishes_the_recipient(alice):
    add_rule(alice, {"action": "discard"})
    arrive()
    assert not Message.objects.exists()
    recipient = QueueRecipient.objects.get(address="alice@example.test")
    assert recipient.status == "delivered" and "discarded" in recipient.last_result
    assert not QueuedMessage.objects.filter(source=QueuedMessage.Source.BOUNCE).exists()


def test_discard_drops_only_that_accounts_copy_of_an_alias(alice, bob):
    from mailcore.directory.services import create_alias

    create_alias("team@example.test", ["alice@example.test", "bob@example.test"])
    add_rule(alice, {"action": "discard"})
    arrive(to=["team@example.test"])
    assert list(Message.objects.values_list("account__localpart", flat=True)) == ["bob"]
    assert QueueRecipient.objects.get(address="team@example.test").status == "delivered"


def test_forward_queues_a_copy_with_an_srs_sender_and_keeps_the_original(alice, settings):
    settings.HOPTHU_HOSTNAME = "mx.example.test"
    add_rule(alice, {"action": "forward", "address": "alice@example.org"})
    arrive()
    assert Message.objects.filter(account=alice, folder__name="INBOX").count() == 1
    [forward] = forwards()
    assert forward.mail_from.startswith("SRS0=") and forward.mail_from.endswith("@mx.example.test")
    recipient = QueueRecipient.objects.get(message=forward)
    assert (recipient.address, recipient.kind) == ("alice@example.org", "remote")
    assert blobs.read(forward.blob.digest).startswith(b"Delivered-To: alice@example.test\r\n")


def test_forward_and_discard_sends_the_copy_on_and_keeps_none(alice):
    add_rule(alice, {"action": "forward", "address": "alice@example.org"}, {"action": "discard"})
    arrive()
    assert not Message.objects.exists()
    assert forwards().count() == 1


def test_rules_forwarding_to_each_other_do_not_loop(alice, bob):
    add_rule(alice, {"action": "forward", "address": "bob@example.test"})
    add_rule(bob, {"action": "forward", "address": "alice@example.test"})
    arrive()
    for _round in range(5):
        deliver_due_local()
    assert Message.objects.filter(account=alice).count() == 1
    assert Message.objects.filter(account=bob).count() == 1
    assert forwards().count() == 1  # bob's rule saw alice in Delivered-To and sent nothing back
    assert not QueueRecipient.objects.exclude(status="delivered").exists()


def test_a_full_mailbox_retried_later_forwards_only_once(alice):
    from mailcore.directory.services import set_quota

    set_quota(alice.address, 10)
    add_rule(alice, {"action": "forward", "address": "alice@example.org"})
    arrive()
    assert QueueRecipient.objects.get(address="alice@example.test").status == "deferred"
    assert not forwards().exists()
    set_quota(alice.address, 0)
    QueueRecipient.objects.filter(address="alice@example.test").update(next_attempt=timezone.now())
    deliver_due_local()
    assert Message.objects.filter(account=alice).count() == 1
    assert forwards().count() == 1


def test_a_crash_before_the_commit_queues_no_forward_and_delivers_nothing(alice, monkeypatch):
    add_rule(alice, {"action": "forward", "address": "alice@example.org"})
    enqueue(mail(), Envelope(mail_from="carol@example.net", recipients=["alice@example.test"]))

    def crash(*args, **kwargs):
        raise OSError("disk gone")

    monkeypatch.setattr(QueueRecipient.objects, "bulk_create", crash)  # fails inside the transaction
    with pytest.raises(OSError):
        deliver_due_local()
    monkeypatch.undo()
    assert not Message.objects.exists() and not forwards().exists()
    assert QueueRecipient.objects.get(address="alice@example.test").status == "queued"
    deliver_due_local()
    assert Message.objects.count() == 1 and forwards().count() == 1


def test_a_junk_verdict_wins_over_the_rules(alice, settings):
    settings.HOPTHU_FILTERS = ("tests.mailcore.smtp.sample_hooks.JunkOrDiscard",)
    add_rule(alice, {"action": "move", "folder": "Archive"}, {"action": "forward", "address": "a@example.org"})
    arrive(mail(subject="cheap pills"))
    assert Message.objects.get(account=alice).folder.name == "Junk"
    assert not forwards().exists()


def test_operator_hooks_still_run_after_the_rules(alice, settings):
    settings.HOPTHU_RULE_HOOKS = ("tests.mailcore.smtp.sample_hooks.invoices_to_archive",)
    add_rule(alice, {"action": "flag"})
    arrive(mail(subject="Invoice 7"))
    message = Message.objects.get(account=alice)
    assert message.folder.name == "Archive" and message.flagged


def test_rules_are_read_once_per_round_not_per_recipient(domain):
    from mailcore.directory.services import create_account

    accounts = [create_account(f"user{i}@example.test", "x" * 12) for i in range(6)]
    for account in accounts:
        add_rule(account, {"action": "flag"})
    for account in accounts:
        enqueue(mail(), Envelope(mail_from="carol@example.net", recipients=[account.address]))
    with CaptureQueriesContext(connection) as queries:
        deliver_due_local()
    assert Message.objects.filter(flagged=True).count() == 6
    assert sum("delivery_mailrule" in query["sql"] for query in queries.captured_queries) == 1

