"""STARTTLS, LOGIN, AUTHENTICATE PLAIN. State: not authenticated. RFC 9051 §6.2.

Passwords are checked off the event loop; a failure is answered after a short delay and
in the same words whether the account exists or not.
"""
import asyncio

from mailcore.auth.credentials import check_credentials
from mailcore.auth.errors import (
    AccountDisabled,
    AuthFailed,
    AuthorizationRefused,
    DirectoryUnavailable,
    LockedOut,
    SaslError,
)
from mailcore.auth.sasl import decode_plain
from mailcore.service.tls import server_context

from ..errors import ImapBad, ImapBye, ImapNo
from ..parser import Cursor
from ..reader import PRELOGIN_MAX_LINE_OCTETS, read_line
from ..server import AUTHENTICATED, NOT_AUTHENTICATED, command


@command("STARTTLS", {NOT_AUTHENTICATED})
async def cmd_starttls(session, tag: str, cursor: Cursor):
    """Start TLS. State: not authenticated. RFC 9051 §6.2.1."""
    cursor.end()
    if session.tls:
        raise ImapBad("TLS is already active")
    context = await session.host.run_blocking(server_context)
    await session.ok(tag, "Begin TLS negotiation now")
    # RFC 9051 §6.2.1 / CVE-2011-0411: anything the client pipelined after STARTTLS
    # arrived in plaintext and must not be taken as part of the TLS session.
    session.reader._buffer.clear()
    await session.writer.start_tls(context)
    session.tls = True


@command("LOGIN", {NOT_AUTHENTICATED})
async def cmd_login(session, tag: str, cursor: Cursor):
    """Log in with a user name and password. State: not authenticated. RFC 9051 §6.2.3."""
    cursor.sp()
    username = cursor.astring()
    cursor.sp()
    password = cursor.astring()
    cursor.end()
    if not session.is_secure:
        raise ImapNo("Use STARTTLS first: passwords are not sent in the clear", code="PRIVACYREQUIRED")
    await _log_in(session, tag, username, password)


@command("AUTHENTICATE", {NOT_AUTHENTICATED})
async def cmd_authenticate(session, tag: str, cursor: Cursor):
    """SASL PLAIN, with SASL-IR. State: not authenticated. RFC 9051 §6.2.2, RFC 4616, RFC 4959."""
    cursor.sp()
    mechanism = cursor.atom("a SASL mechanism").upper()
    initial = None
    if not cursor.at_end():
        cursor.sp()
        initial = cursor.atom("an initial response").encode()
    cursor.end()
    if mechanism != "PLAIN":
        raise ImapNo(f"Unsupported mechanism {mechanism}; use PLAIN")
    if not session.is_secure:
        raise ImapNo("Use STARTTLS first: passwords are not sent in the clear", code="PRIVACYREQUIRED")
    if initial is None or initial == b"=":
        await session.send(b"+ \r\n")
        try:  # the response line is bounded as a command line before login is
            initial = (await read_line(session.reader, PRELOGIN_MAX_LINE_OCTETS)).rstrip(b"\r\n")
        except EOFError:
            raise ImapBye("Connection closed during AUTHENTICATE") from None
    if initial == b"*":
        raise ImapBad("Authentication cancelled")
    username, password = _decode_plain(initial)
    await _log_in(session, tag, username, password)


def _decode_plain(data: bytes) -> tuple[bytes, bytes]:
    try:
        username, password = decode_plain(data)
    except AuthorizationRefused as error:
        raise ImapNo("Acting as another user is not allowed", code="AUTHORIZATIONFAILED") from error
    except SaslError as error:
        raise ImapBad("A PLAIN response is base64 of authzid NUL authcid NUL password") from error
    return username.encode(), password.encode()


async def _log_in(session, tag, username: bytes, password: bytes):
    try:
        account = await session.host.run_blocking(
            check_credentials, username.decode("utf-8", "replace"), password.decode("utf-8", "replace"),
            session.client_ip, "imap")
    except LockedOut as error:
        await asyncio.sleep(error.delay)
        raise ImapNo(error.message, code="UNAVAILABLE") from error
    except DirectoryUnavailable as error:  # RFC 5530 §3: UNAVAILABLE, a temporary failure
        raise ImapNo(error.message, code="UNAVAILABLE") from error
    except AccountDisabled as error:
        await asyncio.sleep(error.delay)
        raise ImapNo(error.message, code="CONTACTADMIN") from error
    except AuthFailed as error:
        await asyncio.sleep(error.delay)  # slows guessing; other sessions go on meanwhile
        raise ImapNo(error.message, code="AUTHENTICATIONFAILED") from error
    session.account = account
    session.state = AUTHENTICATED
    from . import capabilities

    await session.ok(tag, "Logged in", code="CAPABILITY " + " ".join(capabilities(session)))
