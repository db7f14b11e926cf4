"""The From domain DMARC checks (RFC 7489 §6.6.1): the quick reading of simple From
fields must agree with the email package's full parser on every input."""
import email.policy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailcore.mime.fields import parse_fields
from mailcore.smtp.checks.dmarc import _SIMPLE_FROM, author_domain
from mailcore.smtp.checks.results import ascii_domain


def full_parse(value: str):
    """What author_domain answers when the email package reads the one From field."""
    value = parse_fields(message(value)).get("from")  # the field as the splitter keeps it
    try:
        addresses = email.policy.default.header_fetch_parse("From", value).addresses
    except Exception:
        return None, ("permerror", "unreadable From field")
    if len(addresses) > 1:
        return None, ("permerror", "multiple From addresses")
    if not addresses:
        return None, ("none", "no From address")
    domain = ascii_domain(addresses[0].domain)
    return (domain, ("", "")) if domain else (None, ("none", "no usable From domain"))


def message(from_value: str) -> bytes:
    return f"From: {from_value}\r\nTo: a@example.test\r\nSubject: x\r\n\r\nbody\r\n".encode()


@pytest.mark.parametrize("value", [
    "Bank <service@bank.example>",
    "service@bank.example",
    "=?utf-8?b?TMOqIEhvw6BuZw==?= <user@congty.vn>",
    "Lê Hoàng <user@congty.vn>",
    "  spaced   name   <a@b.example>  ",
    "Folded\r\n name <a@b.example>",
    "J. R. Smith <jr@example.com>",
    "<a@b.example>",
    "a@b.example.",
    "a@localhost",
    "a@-bad-.example",
    "<evil@attacker.example>@bank.example",
    "Bank <service@bank.example>, Other <o@other.example>",
    '"Bank <service@bank.example>" <evil@attacker.example>',
    "Bank (service@bank.example) <evil@attacker.example>",
    "evil@attacker.example <service@bank.example>",
    "group: a@b.example;",
    "undisclosed-recipients:;",
    "",
    "<>",
    "a@[192.0.2.1]",
    "a@b.example@c.example",
    "<",  # the email package raises IndexError here: refused as unreadable, never a crash
    "a..b@bank.example",
])
def test_the_quick_reading_agrees_with_the_full_parser(value):
    assert author_domain(message(value)) == full_parse(value)


def test_simple_forms_take_the_quick_reading():
    assert _SIMPLE_FROM.fullmatch("Bank <service@bank.example>")
    assert _SIMPLE_FROM.fullmatch("=?utf-8?q?Ng=C3=A2n_h=C3=A0ng?= <a@bank.example>")
    assert not _SIMPLE_FROM.fullmatch('"Quoted, Name" <a@bank.example>')


FROM_ALPHABET = st.sampled_from([*'ab.@<> "(),:;\\-_=?!\t', "Lê", "bank.example", "evil.example", "x@y.example"])


@settings(max_examples=400, deadline=None)
@given(st.lists(FROM_ALPHABET, max_size=14).map("".join))
def test_any_from_value_reads_as_the_full_parser_reads_it(value):
    assert author_domain(message(value)) == full_parse(value)
