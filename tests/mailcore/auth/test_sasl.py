"""SASL PLAIN (RFC 4616) and LOGIN decoding: good responses, and hostile ones end in SaslError."""
import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mailcore.auth.errors import AuthorizationRefused, MalformedSasl, SaslCancelled, SaslError
from mailcore.auth.sasl import (
    LOGIN_PASSWORD_PROMPT,
    LOGIN_USERNAME_PROMPT,
    MAX_DECODED_OCTETS,
    decode_login,
    decode_login_answer,
    decode_plain,
)


def b64(raw: bytes) -> bytes:
    return base64.b64encode(raw)


def test_it_decodes_plain_without_authzid():
    assert decode_plain(b64(b"\x00alice@example.test\x00s3cret")) == ("alice@example.test", "s3cret")


def test_it_decodes_plain_given_as_text_with_a_line_ending():
    response = b64(b"\x00alice@example.test\x00s3cret").decode() + "\r\n"
    assert decode_plain(response) == ("alice@example.test", "s3cret")


def test_it_accepts_an_authzid_equal_to_the_authcid():
    assert decode_plain(b64(b"alice@example.test\x00alice@example.test\x00pw")) == ("alice@example.test", "pw")


def test_it_refuses_acting_as_another_user():
    with pytest.raises(AuthorizationRefused):
        decode_plain(b64(b"bob@example.test\x00alice@example.test\x00pw"))


def test_it_keeps_utf8_user_names_and_passwords_as_sent():
    raw = "\x00Hoà@ví-dụ.vn\x00mật khẩu ".encode()
    assert decode_plain(b64(raw)) == ("Hoà@ví-dụ.vn", "mật khẩu ")


@pytest.mark.parametrize("raw", [
    b"alice@example.test\x00pw",  # one NUL
    b"alice pw",  # none
    b"\x00alice@example.test\x00pw\x00extra",  # a NUL inside the password
    b"\x00\x00pw",  # empty authcid
    b"\x00alice@example.test\x00",  # empty password
    b"",
    b"\x00alice@example.test\x00\xff\xfe",  # not UTF-8
    b"\xc3\x00alice@example.test\x00pw",  # a cut UTF-8 sequence in the authzid
])
def test_it_refuses_malformed_plain_messages(raw):
    with pytest.raises(MalformedSasl):
        decode_plain(b64(raw))


@pytest.mark.parametrize("response", [
    b"not base64!",
    b"AGFsaWNl",  # base64 of "\x00alice": no second NUL
    b"AGFsaWNlAHB",  # cut short: incomplete padding
    "AGFsaWNlAHB3\u00e9",  # non-ASCII in the base64 text
    b"AGFsa\x00WNlAHB3",
    b"=",
    None,
    12345,
])
def test_it_refuses_what_is_not_base64_of_a_plain_message(response):
    with pytest.raises(MalformedSasl):
        decode_plain(response)


def test_it_refuses_over_long_responses():
    raw = b"\x00alice@example.test\x00" + b"x" * MAX_DECODED_OCTETS
    with pytest.raises(MalformedSasl):
        decode_plain(b64(raw))


def test_it_accepts_a_long_password_within_the_limit():
    password = "p" * 1000
    assert decode_plain(b64(b"\x00a@example.test\x00" + password.encode())) == ("a@example.test", password)


@pytest.mark.parametrize("response", [b"*", "*", b"*\r\n"])
def test_a_star_cancels(response):
    with pytest.raises(SaslCancelled):
        decode_plain(response)
    with pytest.raises(SaslCancelled):
        decode_login_answer(response)


def test_login_prompts_are_base64_of_username_and_password():
    assert base64.b64decode(LOGIN_USERNAME_PROMPT) == b"Username:"
    assert base64.b64decode(LOGIN_PASSWORD_PROMPT) == b"Password:"


def test_it_decodes_the_two_login_answers():
    assert decode_login(b64(b"alice@example.test"), b64("mật khẩu".encode())) == ("alice@example.test", "mật khẩu")


@pytest.mark.parametrize("response", [b"", b64(b""), b64(b"a\x00b"), b64(b"\xff"), b"%%%"])
def test_it_refuses_empty_or_malformed_login_answers(response):
    with pytest.raises(MalformedSasl):
        decode_login_answer(response)


def test_the_errors_have_a_message_for_people():
    with pytest.raises(SaslError) as info:
        decode_plain(b"!!")
    assert info.value.message == "The authentication data is not valid."


hostile = st.one_of(
    st.binary(max_size=600),
    st.text(max_size=600),
    st.binary(max_size=600).map(base64.b64encode),
    st.binary(min_size=3000, max_size=6000).map(base64.b64encode),
    st.lists(st.binary(max_size=40), min_size=1, max_size=5).map(lambda p: base64.b64encode(b"\x00".join(p))),
    st.none(), st.integers(), st.floats(), st.lists(st.binary()),
)


@given(hostile)
def test_decoding_never_raises_anything_but_sasl_error(response):
    for decode in (decode_plain, decode_login_answer):
        try:
            result = decode(response)
        except SaslError:
            continue
        assert isinstance(result, tuple | str)


safe_text = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), min_size=1, max_size=60)


@given(authcid=safe_text, password=safe_text, with_authzid=st.booleans())
def test_plain_round_trips_any_utf8_without_nul(authcid, password, with_authzid):
    authzid = authcid if with_authzid else ""
    response = b64(f"{authzid}\x00{authcid}\x00{password}".encode())
    assert decode_plain(response) == (authcid, password)
