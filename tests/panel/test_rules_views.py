"""The rules pages: list, add, edit (errors on the right input), reorder, enable, delete; audited."""
import pytest
from django.urls import reverse

from mailcore.audit.models import AuditEntry
from mailcore.delivery.models import MailRule
from tests.panel.rules_helpers import editor_post, resubmit

SUBJECT_INVOICE = {"field": "subject", "op": "contains", "value": "invoice"}
BLANK_CONDITION = {"field": "", "op": "contains", "value": ""}
MOVE_ARCHIVE = {"action": "move", "folder": "Archive"}
BLANK_ACTION = {"action": ""}


def add_url(account):
    return reverse("panel:rule_add", args=[account.pk])


def make(account, name, position, **fields):
    return MailRule.objects.create(account=account, name=name, position=position,
                                   actions=[{"action": "flag"}], **fields)


def test_the_list_shows_rules_in_order_in_words(owner_client, alice):
    make(alice, "second", 1, conditions=[{"field": "size", "op": "larger", "value": 5 * 1024 * 1024}])
    make(alice, "first", 0, conditions=[SUBJECT_INVOICE], active=False)
    page = owner_client.get(reverse("panel:rule_list", args=[alice.pk])).content.decode()
    assert page.index("first") < page.index("second")
    assert "Subject contains “invoice”" in page and "Size is larger than 5M" in page


def test_the_list_costs_the_same_queries_for_many_rules(owner_client, alice, django_assert_max_num_queries):
    for position in range(30):
        make(alice, f"rule {position}", position, conditions=[SUBJECT_INVOICE])
    with django_assert_max_num_queries(12):
        assert owner_client.get(reverse("panel:rule_list", args=[alice.pk])).status_code == 200


def test_adding_a_rule_ignores_blank_rows_and_is_audited(owner_client, alice):
    response = owner_client.post(add_url(alice), editor_post(
        conditions=[SUBJECT_INVOICE, BLANK_CONDITION, {"field": "size", "op": "larger", "value": "2M"}],
        actions=[MOVE_ARCHIVE, BLANK_ACTION, {"action": "mark_read"}]))
    assert response.status_code == 302
    rule = MailRule.objects.get(account=alice)
    assert rule.conditions == [SUBJECT_INVOICE, {"field": "size", "op": "larger", "value": 2 * 1024 * 1024}]
    assert rule.actions == [MOVE_ARCHIVE, {"action": "mark_read"}]
    entry = AuditEntry.objects.get(action="rule.create")
    assert entry.domain == "example.test" and entry.after["name"] == "Invoices"
    assert entry.object_repr == "alice@example.test: Invoices"


def test_new_rules_go_last(owner_client, alice):
    make(alice, "old", 0)
    owner_client.post(add_url(alice), editor_post(name="new", actions=[{"action": "flag"}]))
    assert list(MailRule.objects.filter(account=alice).values_list("name", flat=True)) == ["old", "new"]


def test_errors_are_shown_on_the_row_and_input_they_concern(owner_client, alice):
    response = owner_client.post(add_url(alice), editor_post(
        conditions=[SUBJECT_INVOICE, {"field": "size", "op": "larger", "value": "huge"}],
        actions=[{"action": "forward", "address": "not an address"}]))
    assert response.status_code == 200 and not MailRule.objects.exists()
    editor = response.context["editor"]
    assert editor.conditions.forms[1].errors["value"] == ["Write a size such as 500K, 10M or a number of bytes."]
    assert "address" in editor.actions.forms[0].errors
    assert not editor.conditions.forms[0].errors


def test_a_rule_without_actions_is_refused_with_a_message(owner_client, alice):
    response = owner_client.post(add_url(alice), editor_post(conditions=[SUBJECT_INVOICE], actions=[BLANK_ACTION]))
    assert response.context["editor"].group_errors["actions"] == ["Add at least one action."]
    assert "Add at least one action." in response.content.decode()


def test_a_forward_back_to_the_same_mailbox_is_refused(owner_client, alice):
    response = owner_client.post(add_url(alice), editor_post(
        actions=[{"action": "forward", "address": "alice@example.test"}]))
    assert "would loop" in response.context["editor"].actions.forms[0].errors["address"][0]


def test_the_folder_choice_offers_the_accounts_folders(owner_client, alice):
    page = owner_client.get(add_url(alice)).content.decode()
    assert '<option value="Archive">Archive</option>' in page
    response = owner_client.post(add_url(alice), editor_post(actions=[{"action": "move", "folder": "Nope"}]))
    assert "folder" in response.context["editor"].actions.forms[0].errors


def test_editing_keeps_a_deleted_folder_selectable_and_audits_the_change(owner_client, alice):
    rule = make(alice, "old name", 0, conditions=[SUBJECT_INVOICE])
    rule.actions = [{"action": "move", "folder": "Gone"}]
    rule.save()
    url = reverse("panel:rule_edit", args=[alice.pk, rule.pk])
    page = owner_client.get(url).content.decode()
    assert '<option value="Gone" selected>Gone</option>' in page
    response = owner_client.post(url, editor_post(name="new name", conditions=[SUBJECT_INVOICE],
                                                  actions=[{"action": "move", "folder": "Gone"}], editing=True))
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.name == "new name"
    entry = AuditEntry.objects.get(action="rule.update")
    assert entry.before == {"name": "old name"} and entry.after == {"name": "new name"}


def test_saving_the_edit_page_unchanged_keeps_the_rule(owner_client, alice):
    rule = MailRule.objects.create(account=alice, name="big", match="any", conditions=[
        {"field": "size", "op": "larger", "value": 5 * 1024 * 1024},
        {"field": "header", "header": "List-Id", "op": "matches", "value": "*lunch*", "ignore_accents": True}],
        actions=[MOVE_ARCHIVE, {"action": "forward", "address": "alice@example.org"}, {"action": "stop"}])
    before = (rule.match, rule.conditions, rule.actions)
    url = reverse("panel:rule_edit", args=[alice.pk, rule.pk])
    assert owner_client.post(url, resubmit(owner_client.get(url))).status_code == 302
    rule.refresh_from_db()
    assert (rule.match, rule.conditions, rule.actions) == before


def test_moving_up_and_down_swaps_neighbours(owner_client, alice):
    a, _b, c = (make(alice, name, i) for i, name in enumerate("abc"))
    owner_client.post(reverse("panel:rule_move", args=[alice.pk, c.pk]), {"direction": "up"})
    owner_client.post(reverse("panel:rule_move", args=[alice.pk, a.pk]), {"direction": "down"})
    assert list(MailRule.objects.filter(account=alice).values_list("name", flat=True)) == ["c", "a", "b"]
    owner_client.post(reverse("panel:rule_move", args=[alice.pk, c.pk]), {"direction": "up"})  # already first
    assert list(MailRule.objects.filter(account=alice).values_list("name", flat=True)) == ["c", "a", "b"]
    assert AuditEntry.objects.filter(action="rule.move").count() == 2


def test_turning_off_and_on(owner_client, alice):
    rule = make(alice, "r", 0)
    url = reverse("panel:rule_toggle", args=[alice.pk, rule.pk])
    owner_client.post(url)
    rule.refresh_from_db()
    assert not rule.active
    owner_client.post(url)
    rule.refresh_from_db()
    assert rule.active
    assert [e.after for e in AuditEntry.objects.order_by("id")] == [{"active": False}, {"active": True}]


def test_deleting_renumbers_the_rest(owner_client, alice):
    b = [make(alice, name, i) for i, name in enumerate("abc")][1]
    response = owner_client.post(reverse("panel:rule_delete", args=[alice.pk, b.pk]))
    assert response.status_code == 302
    assert list(MailRule.objects.filter(account=alice).values_list("name", "position")) == [("a", 0), ("c", 1)]
    assert AuditEntry.objects.get(action="rule.delete").before["name"] == "b"


@pytest.mark.parametrize("language", ["vi"])
def test_the_pages_render_in_vietnamese(owner_client, alice, language):
    make(alice, "r", 0, conditions=[SUBJECT_INVOICE])
    owner_client.cookies["django_language"] = language
    for name in ("panel:rule_list", "panel:rule_add", "panel:rule_test"):
        assert owner_client.get(reverse(name, args=[alice.pk])).status_code == 200


def test_a_rule_forward_past_the_mailboxs_cap_is_an_error_on_its_address(owner_client, alice, settings):
    settings.HOPTHU_MAX_FORWARD_TARGETS = 2
    response = owner_client.post(add_url(alice), editor_post(actions=[
        {"action": "forward", "address": f"copy{n}@elsewhere.example"} for n in range(3)]))
    assert response.status_code == 200 and not MailRule.objects.exists()
    assert "at most 2 addresses" in response.context["editor"].actions.forms[2].errors["address"][0]
