"""The IMAP grammar: what clients send parses into values; anything else is a BAD."""
import contextlib
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mailcore.imap.errors import ImapBad
from mailcore.imap.parser import Cursor, SeqRange, parse_command_start
from mailcore.imap.reader import Literal


def cursor(*pieces):
    return Cursor([p.encode() if isinstance(p, str) else p for p in pieces])


def test_tag_and_command_names_are_read_case_insensitively():
    tag, name, rest = parse_command_start([b"a001 login alice secret"])
    assert (tag, name) == ("a001", "LOGIN")
    rest.sp()
    assert rest.astring() == b"alice"
    rest.sp()
    assert rest.astring() == b"secret"
    rest.end()
    assert parse_command_start([b"x uid fetch 1:* FLAGS"])[1] == "UID FETCH"


@pytest.mark.parametrize("line", [b"", b" LOGIN", b"a+1 NOOP", b"tag", b"t* NOOP", b"a (NOOP"])
def test_a_bad_start_is_bad(line):
    with pytest.raises(ImapBad):
        parse_command_start([line])


def test_strings_quoted_literal_and_atom():
    c = cursor('"Hóa \\"đơn\\"" ', Literal(b"line\r\nbreak"), " plain")
    assert c.astring() == "Hóa \"đơn\"".encode()
    c.sp()
    assert c.astring() == b"line\r\nbreak"
    c.sp()
    assert c.astring() == b"plain"
    c.end()


@pytest.mark.parametrize("text", ['"unterminated', '"bad \\x escape"', '"nul\x00"'])
def test_malformed_quoted_strings_are_bad(text):
    with pytest.raises(ImapBad):
        cursor(text).string()


def test_nstring_and_numbers():
    c = cursor("NIL 42 0")
    assert c.nstring() is None
    c.sp()
    assert c.number(nonzero=True) == 42
    c.sp()
    with pytest.raises(ImapBad):
        c.number(nonzero=True)
    with pytest.raises(ImapBad):
        cursor("99999999999").number()


def test_sequence_sets():
    assert cursor("1:4,7,9:*").sequence_set() == [SeqRange(1, 4), SeqRange(7, 7), SeqRange(9, None)]
    assert cursor("*").sequence_set() == [SeqRange(None, None)]
    for bad in ("0", ":3", "1:", "a", ",1"):
        with pytest.raises(ImapBad):
            c = cursor(bad)
            c.sequence_set()
            c.end()


def test_flag_lists():
    assert cursor("(\\Seen \\Flagged $Forwarded)").flag_list() == ["\\Seen", "\\Flagged", "$Forwarded"]
    assert cursor("()").flag_list() == []
    for bad in ("(\\Seen", "\\Seen)", "(\\ Seen)", "((\\Seen))"):
        with pytest.raises(ImapBad):
            cursor(bad).flag_list()


def test_dates_and_date_times():
    assert cursor("1-Feb-1994").date() == datetime(1994, 2, 1)
    assert cursor('"28-nov-2026"').date() == datetime(2026, 11, 28)
    moment = cursor('"17-Jul-1996 02:44:25 -0700"').date_time()
    assert moment == datetime(1996, 7, 17, 9, 44, 25, tzinfo=UTC)
    assert moment.utcoffset() == -timedelta(hours=7)
    assert cursor('" 5-Jan-2026 10:00:00 +0700"').date_time().tzinfo == timezone(timedelta(hours=7))
    for bad in ('"30-Feb-2026 00:00:00 +0000"', '"1-Foo-2026 00:00:00 +0000"', '"1-Jan-2026"', "1-Jan-2026"):
        with pytest.raises(ImapBad):
            cursor(bad).date_time()
    with pytest.raises(ImapBad):
        cursor("31-Apr-2026").date()


@given(st.lists(st.one_of(st.binary(max_size=40), st.builds(Literal, st.binary(max_size=10))), max_size=5))
def test_no_input_raises_anything_but_bad(pieces):
    # The property that keeps a session alive: hostile input is a BAD, never a crash.
    steps = ("tag", "sp", "atom", "astring", "string", "nstring", "number", "sequence_set", "flag_list",
             "date", "date_time", "flag", "end")
    with contextlib.suppress(ImapBad):
        parse_command_start(list(pieces))
    for first in steps:
        c = Cursor(list(pieces))
        for step in (first, *steps):
            try:
                getattr(c, step)()
            except ImapBad:
                break
