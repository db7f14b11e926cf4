"""clean_rule: what users type becomes the JSON delivery runs, or errors keyed by field."""
import pytest
from django.core.exceptions import ValidationError

from mailcore.delivery.rule_edits import clean_rule


def errors_of(data, account=None):
    with pytest.raises(ValidationError) as caught:
        clean_rule(data, account)
    return caught.value.message_dict


def valid(**changes):
    return {"name": "Invoices", "match": "all", "conditions": [{"field": "subject", "op": "contains",
                                                                 "value": "invoice"}],
            "actions": [{"action": "move", "folder": "Archive"}], **changes}


def test_a_good_rule_is_normalised():
    cleaned = clean_rule(valid(name="  Big   mail ", conditions=[
        {"field": "size", "op": "larger", "value": "5M"},
        {"field": "header", "header": "List-Id:", "op": "matches", "value": " *lunch* ", "ignore_accents": "on"},
    ], actions=[{"action": "forward", "address": "Bob@Example.ORG"}, {"action": "stop"}]))
    assert cleaned["name"] == "Big mail"
    assert cleaned["conditions"] == [
        {"field": "size", "op": "larger", "value": 5 * 1024 * 1024},
        {"field": "header", "op": "matches", "header": "List-Id", "value": "*lunch*", "ignore_accents": True},
    ]
    assert cleaned["actions"] == [{"action": "forward", "address": "bob@example.org"}, {"action": "stop"}]


def test_each_error_names_its_field_and_row():
    errors = errors_of(valid(name="", match="some", conditions=[
        {"field": "subject", "op": "contains", "value": "ok"},
        {"field": "size", "op": "contains", "value": "big"},
        {"field": "header", "header": "Bad:Name", "op": "like", "value": ""},
    ], actions=[{"action": "move", "folder": ""}, {"action": "forward", "address": "nobody"},
                {"action": "explode"}]))
    assert set(errors) == {"name", "match", "conditions.1.op", "conditions.1.value", "conditions.2.header",
                           "conditions.2.op", "conditions.2.value", "actions.0.folder", "actions.1.address",
                           "actions.2.action"}


def test_a_rule_needs_an_action():
    assert "actions" in errors_of(valid(actions=[]))


def test_moving_and_discarding_at_once_is_refused():
    assert "actions" in errors_of(valid(actions=[{"action": "move", "folder": "A"}, {"action": "discard"}]))


def test_too_many_forwards_are_refused():
    forwards = [{"action": "forward", "address": f"a{i}@example.org"} for i in range(6)]
    assert "actions" in errors_of(valid(actions=forwards))


def test_a_forward_back_to_the_account_is_refused(alice):
    from mailcore.directory.services import create_alias

    create_alias("team@example.test", ["alice@example.test"])
    for address in ("alice@example.test", "ALICE@example.test", "team@example.test"):
        assert "actions.0.address" in errors_of(valid(actions=[{"action": "forward", "address": address}]), alice)
    assert clean_rule(valid(actions=[{"action": "forward", "address": "bob@example.org"}]), alice)


def test_an_account_has_at_most_max_rules(alice):
    from mailcore.delivery.models import MailRule
    from mailcore.delivery.rule_edits import MAX_RULES, create_rule

    first = create_rule(alice, valid())
    assert first.position == 0 and create_rule(alice, valid()).position == 1
    MailRule.objects.bulk_create([MailRule(account=alice, name=f"r{i}", position=i + 2, actions=[{"action": "flag"}])
                                  for i in range(MAX_RULES - 2)])
    assert "name" in errors_of_create(alice)


def errors_of_create(account):
    from mailcore.delivery.rule_edits import create_rule

    with pytest.raises(ValidationError) as caught:
        create_rule(account, valid())
    return caught.value.message_dict
