"""MailSession._getaddr's fast path answers exactly as aiosmtpd's parser does."""
from aiosmtpd.smtp import SMTP
from hypothesis import given, settings
from hypothesis import strategies as st

from mailcore.smtp.session import MailSession


def _ours(arg, local_part_limit=0):
    session = MailSession.__new__(MailSession)
    session.local_part_limit = local_part_limit
    return session._getaddr(arg)


def _theirs(arg, local_part_limit=0):
    session = SMTP.__new__(SMTP)
    session.local_part_limit = local_part_limit
    try:
        return SMTP._getaddr(session, arg)
    except Exception:  # the email package trips on some junk: ours says malformed
        return None, None


EXAMPLES = [
    "<alice@example.test>", "<alice@example.test> SIZE=1024 BODY=8BITMIME", "<a.b+tag@Ex-1.COM>\tSMTPUTF8",
    "<a@b.c>SIZE=1", "<a@b.c>  X", "<a@b.c> ", "<a@b.c> (comment) SIZE=1", "<a@b.c>(c)", "<a@b.c>\r\n",
    "<>", "<> SIZE=10", " <a@b.c>", "a@b.c", "<a..b@c.d>", "<.a@b.c>", "<a.@b.c>", "<a@b..c>", "<a@-b.c>",
    '<"quoted local"@b.c>', "<@relay.example:a@b.c>", "<a@[127.0.0.1]>", "<tên@ví-dụ.vn>", "<a@b.c",
    "<a b@c.d>", "<a@b.c> <x@y.z>", "", '"', "9@[",
]


def test_examples_agree():
    for arg in EXAMPLES:
        assert _ours(arg) == _theirs(arg), arg


def test_local_part_limit_agrees():
    for arg in ("<" + "a" * 64 + "@b.c>", "<" + "a" * 65 + "@b.c>"):
        assert _ours(arg, 64) == _theirs(arg, 64), arg


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="<>@.ab-Z9+_ \t()\",:;[]\\\r\né", max_size=30))
def test_any_argument_agrees(arg):
    assert _ours(arg) == _theirs(arg)


def test_junk_path_is_a_553_and_the_session_lives(mx):
    mx.ehlo("client.example.net")
    assert mx.docmd('MAIL FROM:"')[0] == 553
    assert mx.docmd("MAIL FROM:<sender@example.net> SIZE=100")[0] == 250
    assert mx.docmd('RCPT TO:<"')[0] == 553
    assert mx.docmd("RCPT TO:9@[")[0] == 553
    assert mx.noop()[0] == 250
