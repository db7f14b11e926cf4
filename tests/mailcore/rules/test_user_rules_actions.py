"""What matching rules decide, in order: folder, flags, forwards, discard, stop."""
from mailcore.delivery.user_rules import MailView, decide, explain
from tests.mailcore.rules.conftest import cond, mail, rule

FROM_CAROL = cond("from", "contains", "carol")
NEVER = cond("subject", "is", "nothing like this")


def test_nothing_matches_nothing_changes():
    decision = decide([rule(NEVER, actions=[{"action": "move", "folder": "Work"}])], MailView(mail()))
    assert decision.folder is None and decision.flags == [] and not decision.discard and decision.matched == []


def test_move_mark_read_and_flag():
    rules = [rule(FROM_CAROL, actions=[{"action": "move", "folder": "Work"}, {"action": "mark_read"},
                                       {"action": "flag"}])]
    decision = decide(rules, MailView(mail()))
    assert decision.folder == "Work" and decision.flags == ["\\Seen", "\\Flagged"]


def test_rules_run_in_order_and_the_last_move_wins():
    rules = [rule(FROM_CAROL, name="a", actions=[{"action": "move", "folder": "A"}]),
             rule(FROM_CAROL, name="b", actions=[{"action": "move", "folder": "B"}, {"action": "flag"}])]
    decision = decide(rules, MailView(mail()))
    assert decision.folder == "B" and decision.matched == ["a", "b"]


def test_stop_ends_the_run_after_its_own_actions():
    rules = [rule(FROM_CAROL, name="a", actions=[{"action": "move", "folder": "A"}, {"action": "stop"}]),
             rule(FROM_CAROL, name="b", actions=[{"action": "move", "folder": "B"}])]
    decision = decide(rules, MailView(mail()))
    assert decision.folder == "A" and decision.stopped_by == "a" and decision.matched == ["a"]


def test_a_stop_in_a_rule_that_does_not_match_stops_nothing():
    rules = [rule(NEVER, actions=[{"action": "stop"}]), rule(FROM_CAROL, actions=[{"action": "flag"}])]
    assert decide(rules, MailView(mail())).flags == ["\\Flagged"]


def test_forwards_add_up_once_each_and_discard_drops_the_copy():
    rules = [rule(FROM_CAROL, actions=[{"action": "forward", "address": "x@example.org"}]),
             rule(FROM_CAROL, actions=[{"action": "forward", "address": "X@example.org"},
                                       {"action": "forward", "address": "y@example.org"}, {"action": "discard"}])]
    decision = decide(rules, MailView(mail()))
    assert decision.forwards == ["x@example.org", "y@example.org"] and decision.discard


def test_inactive_rules_are_skipped():
    assert decide([rule(FROM_CAROL, active=False)], MailView(mail())).matched == []


def test_explain_reports_each_condition_and_rules_not_reached():
    rules = [rule(FROM_CAROL, NEVER, match="any", name="a", actions=[{"action": "stop"}]),
             rule(FROM_CAROL, name="b"), rule(FROM_CAROL, name="c", active=False)]
    report = explain(rules, MailView(mail()))
    (_a, matched, results), (_b, reached, _), (_c, inactive, _) = report.rules
    assert matched is True and [result for _condition, result in results] == [True, False]
    assert reached is None and inactive is None
    assert report.decision.stopped_by == "a"
