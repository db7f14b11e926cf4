"""The webmail's rule pages: the user's own rules only, edited with the panel's editor
and checks; another account's rule ids find nothing."""
import pytest
from django.urls import reverse

from mailcore.delivery.models import MailRule
from tests.panel.rules_helpers import editor_post

pytestmark = pytest.mark.django_db

SUBJECT_INVOICE = {"field": "subject", "op": "contains", "value": "invoice"}
FLAG = {"action": "flag"}


def make(account, name, position=0, **fields):
    return MailRule.objects.create(account=account, name=name, position=position,
                                   actions=fields.pop("actions", [FLAG]), **fields)


def names(account):
    return list(account.mail_rules.order_by("position").values_list("name", flat=True))


def test_the_list_shows_only_my_rules_in_words(alice_client, alice, bob):
    make(alice, "mine", conditions=[SUBJECT_INVOICE])
    make(bob, "bobs secret rule")
    page = alice_client.get(reverse("webmail:settings_rules")).content.decode()
    assert "mine" in page and "Subject contains “invoice”" in page
    assert "bobs secret rule" not in page


def test_add_a_rule_with_the_panels_editor(alice_rechecked, alice):
    response = alice_rechecked.post(reverse("webmail:settings_rule_add"), editor_post(
        conditions=[SUBJECT_INVOICE], actions=[{"action": "move", "folder": "Archive"}]))
    assert response.status_code == 302
    rule = alice.mail_rules.get()
    assert rule.conditions == [SUBJECT_INVOICE] and rule.actions == [{"action": "move", "folder": "Archive"}]


def test_the_editors_checks_put_errors_on_the_input(alice_rechecked, alice):
    response = alice_rechecked.post(reverse("webmail:settings_rule_add"), editor_post(
        conditions=[{"field": "size", "op": "larger", "value": "lots"}], actions=[FLAG]))
    assert response.status_code == 200
    assert "Write a size such as 500K" in response.content.decode()
    assert not alice.mail_rules.exists()


def test_a_forward_back_to_myself_is_refused(alice_rechecked, alice):
    response = alice_rechecked.post(reverse("webmail:settings_rule_add"), editor_post(
        actions=[{"action": "forward", "address": alice.address}]))
    assert "would loop" in response.content.decode() and not alice.mail_rules.exists()


def test_adding_a_rule_asks_for_the_password_again(alice_client, alice):
    response = alice_client.post(reverse("webmail:settings_rule_add"), editor_post(actions=[FLAG]))
    assert response.status_code == 302 and "reauthenticate" in response["Location"]
    assert not alice.mail_rules.exists()


def test_edit_reorder_toggle_and_delete_my_rules(alice_rechecked, alice):
    first, second = make(alice, "first", 0), make(alice, "second", 1)
    response = alice_rechecked.post(reverse("webmail:settings_rule_edit", args=[first.pk]),
                                    editor_post(name="renamed", actions=[FLAG], conditions=[SUBJECT_INVOICE],
                                                    editing=True))
    assert response.status_code == 302 and names(alice) == ["renamed", "second"]
    alice_rechecked.post(reverse("webmail:settings_rule_move", args=[second.pk]), {"direction": "up"})
    assert names(alice) == ["second", "renamed"]
    alice_rechecked.post(reverse("webmail:settings_rule_toggle", args=[first.pk]))
    first.refresh_from_db()
    assert first.active is False
    alice_rechecked.post(reverse("webmail:settings_rule_delete", args=[second.pk]))
    assert names(alice) == ["renamed"]


@pytest.mark.parametrize(("url", "method"), [
    ("webmail:settings_rule_edit", "get"), ("webmail:settings_rule_edit", "post"),
    ("webmail:settings_rule_move", "post"), ("webmail:settings_rule_toggle", "post"),
    ("webmail:settings_rule_delete", "post")])
def test_another_accounts_rule_is_not_found(alice_rechecked, bob, url, method):
    theirs = make(bob, "bobs", actions=[{"action": "forward", "address": "spy@elsewhere.example"}])
    response = getattr(alice_rechecked, method)(reverse(url, args=[theirs.pk]), editor_post(actions=[FLAG]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "bobs" and theirs.active and theirs.actions[0]["address"] == "spy@elsewhere.example"


def test_the_rules_pages_need_a_signed_in_user(client):
    response = client.get(reverse("webmail:settings_rules"))
    assert response.status_code == 302 and "login" in response["Location"]
