"""A Sieve script read into rules: export → import gives the same rules; what a HopThu
rule cannot mean is refused by line, and nothing is saved then (all or nothing)."""
import pytest

from mailcore.delivery.models import MailRule
from mailcore.delivery.sieve.export import render
from mailcore.delivery.sieve.reading import import_rules, problems_of, read_rules

pytestmark = pytest.mark.django_db

FIELDS = ("name", "match", "active", "conditions", "actions")
RULES = [
    {"name": "Invoices", "match": "all", "active": True,
     "conditions": [{"field": "subject", "op": "contains", "value": "hóa đơn", "ignore_accents": True},
                    {"field": "size", "op": "smaller", "value": 2 * 1024 * 1024}],
     "actions": [{"action": "move", "folder": "Archive/2026"}, {"action": "mark_read"}, {"action": "stop"}]},
    {"name": "Lists \"dev\" \\ ops", "match": "any", "active": False,
     "conditions": [{"field": "header", "header": "List-Id", "op": "is", "value": "dev.example.org"},
                    {"field": "to", "op": "matches", "value": "*+lists@*"},
                    {"field": "from", "op": "not_contains", "value": "noreply"}],
     "actions": [{"action": "flag"}, {"action": "forward", "address": "me@elsewhere.example"}]},
    {"name": "Big", "match": "any", "active": True,
     "conditions": [{"field": "size", "op": "larger", "value": 10 * 1024 * 1024}],
     "actions": [{"action": "discard"}]},
    {"name": "Everything", "match": "all", "active": True, "conditions": [], "actions": [{"action": "flag"}]},
]


def saved(account):
    return [{key: getattr(rule, key) for key in FIELDS} for rule in account.mail_rules.order_by("position")]


def test_export_then_import_gives_the_same_rules(alice, bob):
    for position, data in enumerate(RULES):
        MailRule.objects.create(account=alice, position=position, **data)
    script = render(alice.mail_rules.order_by("position"))
    import_rules(bob, script)
    assert saved(bob) == saved(alice) == RULES


def test_import_adds_after_the_accounts_rules_or_replaces_them(alice):
    MailRule.objects.create(account=alice, name="old", actions=[{"action": "flag"}])
    import_rules(alice, '# rule: new\nif header :contains "subject" "x" { discard; }')
    assert [r.name for r in alice.mail_rules.order_by("position")] == ["old", "new"]
    import_rules(alice, '# rule: only\nif true { stop; }', replace=True)
    assert [r.name for r in alice.mail_rules.all()] == ["only"]


def test_a_hand_written_script_reads_as_rules():
    rules = [data for _line, data in read_rules(
        'require ["fileinto", "copy"];\n'
        'if address :is "from" "boss@example.org" { fileinto "Boss"; }\n'
        'if anyof (header :contains "subject" "[spam]", size :over 1M) { discard; stop; }\n'
        'redirect "away@example.net";\n')]
    assert rules[0]["conditions"] == [{"field": "from", "op": "is", "value": "boss@example.org"}]
    assert rules[0]["actions"] == [{"action": "move", "folder": "Boss"}]
    assert rules[0]["name"] == "Rule at line 2"
    assert rules[1]["match"] == "any" and rules[1]["conditions"][1] == {
        "field": "size", "op": "larger", "value": 1024 * 1024}
    # RFC 5228 §4.2: redirect without :copy cancels the implicit keep
    assert rules[2]["conditions"] == [] and rules[2]["actions"] == [
        {"action": "forward", "address": "away@example.net"}, {"action": "discard"}]


@pytest.mark.parametrize(("script", "line", "words"), [
    ('require "reject";\nif true {\n  reject "go away";\n}', 3, "reject"),
    ('require "vacation";\n\nvacation "I am away";', 3, "Vacation reply"),
    ('if true { keep; }\nelsif true { stop; }', 2, "elsif"),
    ('require "regex";', 1, "regex"),
    ('if header :regex "subject" "a.*" { stop; }', 1, ":regex"),
    ('if exists "x-spam" { stop; }', 1, "exists"),
    ('require "fileinto";\nif true {\n fileinto :copy "A";\n}', 3, ":copy"),
    ('if header :contains "subject" ["a", "b"] { stop; }', 1, "one value"),
    ('if header :comparator "i;octet" :is "subject" "A" { stop; }', 1, "i;octet"),
    ('if true {\n  if true { stop; }\n}', 2, "blocks"),
    ('if header :contains "subject" "x" { keep; }', 1, "action"),
    ('if header :contains "subject" "x" { redirect "not an address"; }', 1, ""),
    ('if header "subject" "x" { stop; }\n}', 2, ""),
    ('if header :contains "subject" "x { stop; }', 1, "never closed"),
])
def test_what_a_rule_cannot_mean_is_refused_by_line_and_nothing_is_saved(alice, script, line, words):
    MailRule.objects.create(account=alice, name="kept", actions=[{"action": "flag"}])
    good = '# rule: good\nif true { stop; }\n'
    with pytest.raises(ExceptionGroup) as caught:
        import_rules(alice, good + script, replace=True)
    problems = problems_of(caught.value)
    assert any(p.line == line + 2 and words in p.message for p in problems), [(p.line, p.message) for p in problems]
    assert [r.name for r in alice.mail_rules.all()] == ["kept"]


def test_every_problem_is_listed_not_only_the_first(alice):
    with pytest.raises(ExceptionGroup) as caught:
        import_rules(alice, 'require "vacation";\nvacation "away";\nif true { reject "no"; }\n')
    assert [p.line for p in problems_of(caught.value)] == [2, 3]


def test_not_utf8_is_refused_with_its_line(alice):
    with pytest.raises(ExceptionGroup) as caught:
        import_rules(alice, b'# fine\n# also fine\nif header :is "subject" "\xff" { stop; }')
    assert problems_of(caught.value)[0].line == 3


def test_a_script_without_rules_is_refused_and_replaces_nothing(alice):
    MailRule.objects.create(account=alice, name="kept", actions=[{"action": "flag"}])
    with pytest.raises(ExceptionGroup) as caught:
        import_rules(alice, '# only a comment\nrequire "fileinto";\n', replace=True)
    assert [(p.line, p.message) for p in problems_of(caught.value)] == [(1, "The script holds no rules.")]
    assert [r.name for r in alice.mail_rules.all()] == ["kept"]
