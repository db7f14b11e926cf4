"""Random bytes and mutated real messages: summarize() never raises, offsets stay in range."""
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mailcore.mime.summary import summarize

SEEDS = [
    b"From: bob@example.test\r\nSubject: =?utf-8?Q?H=C3=B3a?=\r\n\r\nhello\r\n",
    b"Content-Type: multipart/mixed; boundary=b\r\n\r\npre\r\n--b\r\nContent-Type: text/plain; charset=koi8-r\r\n"
    b"Content-Transfer-Encoding: quoted-printable\r\n\r\n=F0=F2\r\n--b\r\nContent-Type: text/html\r\n\r\n"
    b"<p>hi<script>x</script></p>\r\n--b\r\nContent-Type: message/rfc822\r\n\r\nSubject: inner\r\n"
    b"Content-Type: multipart/alternative; boundary=c\r\n\r\n--c\r\n\r\na\r\n--c--\r\n--b--\r\nepilogue",
    b"Content-Type: application/pdf; name*=utf-8''%C3%A9.pdf\r\nContent-Disposition: attachment;\r\n"
    b" filename*0*=utf-8''a; filename*1=b\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBER=i0x!\r\n",
    b"Content-Type: multipart/digest; boundary=\"d d\"\r\n\r\n--d d\r\n\r\nSubject: x\r\n\r\ny\r\n--d d--",
]
TOKENS = [b"\r\n", b"\n", b"\r", b"--b", b"--b--", b"--c", b"\r\n\r\n", b"Content-Type: multipart/mixed; boundary=b",
          b"Content-Type: message/rfc822", b"=?", b"?=", b"=?utf-8?B?", b"=?x?Q?=FF", b";", b"\"", b"\x00",
          b"\xff", b"\xc3", b"charset=hex", b"Content-Transfer-Encoding: base64", b"=", b" ", b"\t", b":"]

mutations = st.one_of(
    st.tuples(st.just("insert"), st.integers(0, 10_000), st.sampled_from(TOKENS) | st.binary(max_size=8)),
    st.tuples(st.just("delete"), st.integers(0, 10_000), st.integers(1, 40)),
    st.tuples(st.just("flip"), st.integers(0, 10_000), st.integers(0, 255)),
)


def mutate(raw: bytes, steps) -> bytes:
    for kind, position, argument in steps:
        at = position % (len(raw) + 1)
        if kind == "insert":
            raw = raw[:at] + argument + raw[at:]
        elif kind == "delete":
            raw = raw[:at] + raw[at + argument:]
        elif at < len(raw):
            raw = raw[:at] + bytes([argument]) + raw[at + 1:]
    return raw


def walk(part):
    yield part
    for child in part.get("parts", []):
        yield from walk(child)
    if "message" in part:
        yield from walk(part["message"]["part"])


def check(raw: bytes):
    summary = summarize(raw)
    for part in walk(summary.structure):
        (header_start, header_end), (body_start, body_end) = part["header"], part["body"]
        assert 0 <= header_start <= header_end == body_start <= body_end <= len(raw)
        for child in part.get("parts", []) + ([part["message"]["part"]] if "message" in part else []):
            assert body_start <= child["header"][0] and child["body"][1] <= body_end
    # Everything stored must survive JSON, UTF-8 and PostgreSQL (no NUL, no lone surrogates).
    stored = json.dumps([summary.structure, summary.envelope, summary.subject, summary.from_name,
                         summary.to_addresses, summary.preview, summary.attachment_names])
    assert "\\u0000" not in stored
    stored.encode("utf-8")
    (summary.body_text + summary.subject + summary.preview).encode("utf-8")
    assert "\x00" not in summary.body_text + summary.subject + summary.preview


FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.binary(max_size=2000))
def test_random_bytes_never_make_summarize_raise(raw):
    check(raw)


@FAST
@given(st.sampled_from(SEEDS), st.lists(mutations, max_size=12))
def test_mutated_messages_never_make_summarize_raise(seed, steps):
    check(mutate(seed, steps))


@FAST
@given(st.lists(st.sampled_from(TOKENS) | st.binary(max_size=6), max_size=60))
def test_streams_of_mime_tokens_never_make_summarize_raise(tokens):
    check(b"".join(tokens))
