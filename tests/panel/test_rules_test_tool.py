"""The "test the rules" page: a pasted message, which rules match, what would happen, no delivery."""
from django.urls import reverse

from mailcore.delivery.models import MailRule, QueuedMessage
from mailcore.store.models import Message

PASTED = "From: Carol <carol@example.net>\nTo: alice@example.test\nSubject: Invoice 42\n\nPlease pay.\n"


def run(client, account, message=PASTED):
    return client.post(reverse("panel:rule_test", args=[account.pk]), {"message": message})


def test_it_shows_the_matching_rules_and_the_outcome_without_delivering(owner_client, alice):
    MailRule.objects.create(account=alice, name="Invoices", position=0, conditions=[
        {"field": "subject", "op": "contains", "value": "invoice"}],
        actions=[{"action": "move", "folder": "Archive"}, {"action": "mark_read"},
                 {"action": "forward", "address": "books@example.org"}, {"action": "stop"}])
    MailRule.objects.create(account=alice, name="Everything", position=1, actions=[{"action": "flag"}])
    response = run(owner_client, alice)
    page = response.content.decode()
    assert "Delivered to the folder Archive." in page and "Marked as read." in page
    assert "A copy would be forwarded to books@example.org." in page
    assert "The rule Invoices stopped the later rules." in page and "Flagged." not in page
    rows = response.context["rows"]
    assert [(row["rule"].name, row["matched"]) for row in rows] == [("Invoices", True), ("Everything", None)]
    assert not Message.objects.exists() and not QueuedMessage.objects.exists()


def test_a_missing_folder_is_shown_as_the_inbox(owner_client, alice):
    MailRule.objects.create(account=alice, name="r", actions=[{"action": "move", "folder": "Gone"}])
    page = run(owner_client, alice).content.decode()
    assert "Delivered to the folder INBOX." in page and "The folder Gone does not exist" in page


def test_discard_and_no_match_are_explained(owner_client, alice):
    MailRule.objects.create(account=alice, name="drop", conditions=[
        {"field": "from", "op": "is", "value": "carol@example.net"}], actions=[{"action": "discard"}])
    assert "would be discarded" in run(owner_client, alice).content.decode()
    page = run(owner_client, alice, PASTED.replace("carol@", "dave@")).content.decode()
    assert "No rule matched." in page and "Delivered to the folder INBOX." in page


def test_text_that_is_not_a_message_gets_an_error_on_the_field(owner_client, alice):
    response = run(owner_client, alice, "hello there\n\nno headers")
    assert "message" in response.context["form"].errors
    response = run(owner_client, alice, "")
    assert "message" in response.context["form"].errors
