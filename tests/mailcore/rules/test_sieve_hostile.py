"""Hostile Sieve scripts: whatever the input, the reader returns rules or says at which
line what is wrong (SieveError); it never raises anything else, and its work is bounded."""
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from mailcore.delivery.sieve.grammar import MAX_SCRIPT_BYTES, SieveError, parse
from mailcore.delivery.sieve.reading import problems_of, read_rules

PIECES = ["if", "elsif", "else", "require", "allof", "anyof", "not", "true", "false", "header", "address",
          "size", "fileinto", "redirect", "reject", "vacation", "addflag", "discard", "stop", "keep",
          ":contains", ":is", ":matches", ":over", ":under", ":copy", ":comparator", ":regex", ":", "::",
          '"subject"', '"x\\"y"', '"\\\\Seen"', '"', "[", "]", "(", ")", "{", "}", ",", ";", "10", "5K",
          "99999999999999999999999G", "text:\n", "\n.\n", "#", "# rule: n\n", "/*", "*/", "\n", " ", "é", "\x00"]


def read(script):
    """The reader's answer: rules, or its problems, each with a line inside the script."""
    try:
        return read_rules(script)
    except (SieveError, ExceptionGroup) as error:
        problems = problems_of(error)
        assert problems and all(isinstance(p, SieveError) for p in problems)
        text = script.decode("utf-8", "replace") if isinstance(script, bytes) else script
        assert all(1 <= p.line <= text.count("\n") + 1 and p.message for p in problems)
        return problems


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=60).map(" ".join))
def test_any_sequence_of_sieve_words_gets_rules_or_lined_errors(script):
    read(script)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_get_rules_or_lined_errors(script):
    read(script)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gets_rules_or_lined_errors(script):
    read(script)


def test_deep_nesting_is_refused_not_a_recursion_error():
    for script in ("if " + "not " * 5000 + "true { stop; }", "if true " + "{ if true " * 5000,
                   "if " + "allof(" * 5000 + "true" + ")" * 5000 + " { stop; }"):
        problems = read(script)
        assert isinstance(problems, list) and isinstance(problems[0], SieveError)


def test_a_script_past_the_size_limit_is_refused_at_once():
    started = time.monotonic()
    problems = read(b"#" * (MAX_SCRIPT_BYTES + 1))
    assert "larger" in problems[0].message and time.monotonic() - started < 1


def test_many_small_rules_parse_in_bounded_time():
    script = 'if header :matches "subject" "*a*a*a*a*" { stop; }\n' * 4000
    started = time.monotonic()
    assert len(parse(script)) == 4000
    assert time.monotonic() - started < 5
