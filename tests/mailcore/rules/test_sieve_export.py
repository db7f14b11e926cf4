"""Rules written as a Sieve script (RFC 5228): each rule its own if, tests and actions
after the RFC sections export.py names, and a require line naming only what is used."""
import pytest

from mailcore.delivery.models import MailRule
from mailcore.delivery.sieve.export import render
from mailcore.delivery.sieve.grammar import parse


def rule(name="Invoices", match="all", active=True, conditions=(), actions=({"action": "stop"},)):
    return MailRule(name=name, match=match, active=active, conditions=list(conditions), actions=list(actions))


def test_a_rule_is_an_if_with_its_name_as_a_comment():
    script = render([rule(conditions=[{"field": "subject", "op": "contains", "value": "invoice"}],
                          actions=[{"action": "move", "folder": "Archive"}, {"action": "stop"}])])
    assert script == ('require "fileinto";\n# rule: Invoices\nif header :contains "subject" "invoice" {\n'
                      '    fileinto "Archive";\n    stop;\n}\n')


def test_rfc5228_every_rule_is_its_own_if_never_elsif():
    script = render([rule("a"), rule("b")])
    assert script.count("\nif ") + script.startswith("if ") == 2 and "elsif" not in script


def test_rfc5228_section_2_4_2_quotes_and_backslashes_are_escaped():
    script = render([rule(conditions=[{"field": "subject", "op": "is", "value": 'say "hi" \\o/'}])])
    assert r'"say \"hi\" \\o/"' in script
    assert parse(script)[0].tests[0].args[1] == ['say "hi" \\o/']


def test_fields_and_tests_map_to_header_and_size():
    script = render([rule(match="any", conditions=[
        {"field": "from", "op": "is", "value": "bob@example.org"},
        {"field": "to", "op": "matches", "value": "*@lists.example.org"},
        {"field": "header", "header": "List-Id", "op": "not_contains", "value": "dev"},
        {"field": "size", "op": "larger", "value": 5242880},
        {"field": "size", "op": "smaller", "value": 100}])])
    assert 'anyof (header :is "from" "bob@example.org"' in script
    assert 'header :matches ["to", "cc"] "*@lists.example.org"' in script
    assert 'not header :contains "List-Id" "dev"' in script
    assert "size :over 5242880" in script and "size :under 100" in script


def test_rfc3894_forward_is_redirect_copy_and_flags_are_imap4flags():
    script = render([rule(actions=[{"action": "forward", "address": "me@elsewhere.example"},
                                   {"action": "mark_read"}, {"action": "flag"}, {"action": "discard"}])])
    assert script.startswith('require ["copy", "imap4flags"];')
    assert 'redirect :copy "me@elsewhere.example";' in script
    assert 'addflag "\\\\Seen";' in script and 'addflag "\\\\Flagged";' in script and "discard;" in script


@pytest.mark.parametrize(("conditions", "test"), [
    ([], "true"), ([{"field": "size", "op": "larger", "value": 10}], "size :over 10")])
def test_an_inactive_rule_keeps_its_test_behind_false(conditions, test):
    script = render([rule(active=False, conditions=conditions)])
    assert f"if allof (false, {test}) {{" in script


def test_ignoring_accents_names_hopthus_comparator_in_require():
    script = render([rule(conditions=[{"field": "subject", "op": "contains", "value": "hoa don",
                                       "ignore_accents": True}])])
    assert 'require "comparator-x-hopthu-fold-accents";' in script
    assert ':comparator "x-hopthu-fold-accents" :contains "subject"' in script


def test_no_rules_is_an_empty_script_that_parses():
    assert parse(render([], title="HopThu rules")) == []
