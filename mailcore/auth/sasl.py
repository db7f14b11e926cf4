"""Decoding the client's side of SASL PLAIN (RFC 4616) and LOGIN (draft-murchison-sasl-login).

The protocols own the exchange (IMAP AUTHENTICATE, SMTP AUTH, POP3 AUTH): they send the
prompts, read the client's base64 lines and hand them here. What comes back is
(username, password) as text, ready for credentials.check_credentials, or a SaslError:
whatever a client sends (bad base64, missing NULs, huge or non-UTF-8 input, not even a
string) ends in a SaslError and never in another exception.

Both fields are returned exactly as sent (only UTF-8 decoded): the user name is folded
by the directory's address rules later, and a password is never altered.
"""
import base64
import binascii

from .errors import AuthorizationRefused, MalformedSasl, SaslCancelled

# RFC 4616 §2: servers MUST take fields of up to 255 octets. Passwords (pass phrases,
# generated secrets) may be longer; 4 KiB is plenty and still bounds hostile input.
MAX_DECODED_OCTETS = 4096
MAX_ENCODED_OCTETS = 4 * -(-MAX_DECODED_OCTETS // 3)  # base64 grows 3 octets into 4

CANCEL = b"*"  # RFC 4954 §4, RFC 9051 §6.2.2, RFC 5034 §4: the client gives up

# The LOGIN mechanism's two server challenges, already base64 ("Username:", "Password:").
LOGIN_USERNAME_PROMPT = base64.b64encode(b"Username:")
LOGIN_PASSWORD_PROMPT = base64.b64encode(b"Password:")


def decode_plain(response: bytes | str) -> tuple[str, str]:
    """Return (authcid, passwd) from a base64 PLAIN response. RFC 4616 §2.

    message = [authzid] NUL authcid NUL passwd, in UTF-8. An authzid is accepted only if
    it is empty or the authcid itself: nobody may log in as someone else.
    """
    parts = _decode(response).split(b"\x00")
    if len(parts) != 3:  # RFC 4616 §2: none of the three fields may hold NUL
        raise MalformedSasl()
    authzid, authcid, passwd = (_text(part) for part in parts)
    if not authcid or not passwd:  # RFC 4616 §2: authcid and passwd are 1*SAFE
        raise MalformedSasl()
    if authzid and authzid != authcid:
        raise AuthorizationRefused()
    return authcid, passwd


def decode_login(username_response: bytes | str, password_response: bytes | str) -> tuple[str, str]:
    """Return (username, password) from the answers to LOGIN's two prompts."""
    return decode_login_answer(username_response), decode_login_answer(password_response)


def decode_login_answer(response: bytes | str) -> str:
    """Return the text of one answer to a LOGIN prompt (the user name or the password)."""
    text = _text(_decode(response))
    if not text or "\x00" in text:
        raise MalformedSasl()
    return text


def _decode(response) -> bytes:
    """Base64-decode one client response; "*" cancels. RFC 4648 §4, strict alphabet."""
    if isinstance(response, str):
        try:
            response = response.encode("ascii")
        except UnicodeEncodeError:
            raise MalformedSasl() from None
    elif isinstance(response, bytearray | memoryview):
        response = bytes(response)
    elif not isinstance(response, bytes):
        raise MalformedSasl()
    response = response.strip(b" \t\r\n")
    if response == CANCEL:
        raise SaslCancelled()
    if len(response) > MAX_ENCODED_OCTETS:
        raise MalformedSasl()
    try:
        return base64.b64decode(response, validate=True)
    except (binascii.Error, ValueError):
        raise MalformedSasl() from None


def _text(octets: bytes) -> str:
    try:
        return octets.decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedSasl() from None
