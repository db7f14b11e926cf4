"""Export → import gives the same rules, for any rule the editor accepts (Hypothesis)."""
from hypothesis import given, settings
from hypothesis import strategies as st

from mailcore.delivery.models import MailRule
from mailcore.delivery.rule_edits import clean_rule
from mailcore.delivery.sieve.export import render
from mailcore.delivery.sieve.reading import read_rules

TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(str.strip)
HEADER = st.text(st.sampled_from("abcXYZ-_0.!~"), min_size=1, max_size=12)
TEXT_CONDITION = st.fixed_dictionaries({
    "field": st.sampled_from(["from", "to", "subject", "header"]), "header": HEADER,
    "op": st.sampled_from(["contains", "not_contains", "is", "matches"]), "value": TEXT,
    "ignore_accents": st.booleans()})
SIZE_CONDITION = st.fixed_dictionaries({"field": st.just("size"), "op": st.sampled_from(["larger", "smaller"]),
                                        "value": st.integers(0, 2 ** 40)})
ACTION = st.one_of(
    st.fixed_dictionaries({"action": st.sampled_from(["mark_read", "flag", "discard", "stop"])}),
    st.fixed_dictionaries({"action": st.just("move"), "folder": st.sampled_from(["Archive", "Lists/Dev", "Hóa đơn"])}),
    st.fixed_dictionaries({"action": st.just("forward"), "address": st.sampled_from(
        ["me@elsewhere.example", "\"odd name\"@example.net"])}))
RULE = st.fixed_dictionaries({
    "name": TEXT, "match": st.sampled_from(["all", "any"]), "active": st.booleans(),
    "conditions": st.lists(st.one_of(TEXT_CONDITION, SIZE_CONDITION), max_size=4),
    "actions": st.lists(ACTION, min_size=1, max_size=4)})


def valid(data):
    try:
        return clean_rule(data)
    except Exception:
        return None


@settings(max_examples=300, deadline=None)
@given(st.lists(RULE.map(valid).filter(bool), min_size=1, max_size=4))
def test_any_valid_rules_survive_export_and_import(rules):
    script = render([MailRule(**data) for data in rules])
    back = [clean_rule(data) for _line, data in read_rules(script)]
    for rule in rules:  # "true" cannot say whether a rule without conditions wanted all or any
        if not rule["conditions"]:
            rule["match"] = "all"
    assert back == rules, script
