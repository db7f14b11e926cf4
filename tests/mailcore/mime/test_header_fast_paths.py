"""The header fast paths (parameters, line splitting) answer as the email package does."""
from email.message import Message

from hypothesis import example, given, settings
from hypothesis import strategies as st

from mailcore.mime.fields import HeaderFields


def _email_package(value):
    message = Message()
    message["content-type"] = value
    return message.get_params()


def _ours(value):
    return HeaderFields([("Content-Type", value)]).get_params()


EXAMPLES = [
    "text/plain", "text/plain; charset=utf-8", 'text/plain; charset="UTF-8"; format=flowed',
    'multipart/mixed; boundary="==a;b=="', "multipart/alternative;\r\n\tboundary=xyz", "text/plain;",
    'text/plain; name="a \\"b\\" c"', "text/plain; Name=<x>", "a=b", "text/html;;charset=x", '"a;b";c=d',
    'application/octet-stream; name="tên tệp.pdf"', "text/plain; charset", 'x/y; a="unterminated; b=c',
]


def test_examples_agree():
    for value in EXAMPLES:
        assert _ours(value) == _email_package(value), value


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet='abc/;="\\<> \tXé', max_size=40))
def test_any_value_agrees(value):
    assert _ours(value) == _email_package(value)


def test_rfc2231_values_still_go_to_the_email_package():
    value = "attachment; filename*=utf-8''t%C3%AAn.txt"
    assert _ours(value) == _email_package(value)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab: \t\r\n\x0b\x0c\x85\u2028\x00é", max_size=60))
@example("a: x\x0bb: y\r\nc: z\r\n")
@example("a: x\u2028b: y\rc: z\n")
def test_header_lines_split_as_the_email_package_does(block):
    from email.parser import HeaderParser
    from email.policy import compat32

    from mailcore.mime.fields import parse_fields
    from mailcore.mime.text import scrub

    theirs = HeaderParser(policy=compat32).parsestr(scrub(block) + "\n\n", headersonly=True)
    assert [name for name, _value in parse_fields(block.encode()).fields] == theirs.keys()
