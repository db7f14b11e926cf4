"""AUTH PLAIN and AUTH LOGIN on the submission and relay ports (RFC 4954, RFC 4616).

aiosmtpd calls a handler's `auth_<MECHANISM>(server, args)` coroutine; the secure-
session check happened before (session.py: 538 before TLS). Credentials are checked by
mailcore.auth off the event loop, with its lockouts and delays shared with IMAP and POP3.
"""
import asyncio
import base64

from aiosmtpd.smtp import MISSING, AuthResult

from mailcore.auth.credentials import check_credentials
from mailcore.auth.errors import AccountDisabled, AuthFailed, DirectoryUnavailable, LockedOut, SaslError
from mailcore.auth.sasl import LOGIN_PASSWORD_PROMPT, LOGIN_USERNAME_PROMPT, decode_login_answer, decode_plain
from mailcore.relay.access import check_token

INVALID = "535 5.7.8 Authentication credentials invalid"
# Submission: the same for every failure, whether the account's own password was wrong or
# refused by mailcore.auth.policy (docs/security.md, "Mail clients and the second factor").
INVALID_ACCOUNT = "535 5.7.8 Authentication credentials invalid; mail programs may need an app password"
LOCKED = "454 4.7.0 Too many failed logins; try again later"
# RFC 4954 §6: 454 4.7.0 "Temporary authentication failure", e.g. the company directory
# (LDAP) cannot be reached; never 535, which would tell the client the password is wrong.
DIRECTORY_UNAVAILABLE = "454 4.7.0 Temporary authentication failure; the directory is unavailable"
DISABLED = "535 5.7.8 This account is disabled"
MALFORMED = "501 5.5.2 Malformed SASL response"


class SubmissionAuth:
    """Mixed into the SMTP handler; needs self.host."""

    async def auth_PLAIN(self, server, args):
        if len(args) > 1:
            response = args[1]
        else:
            decoded = await server.challenge_auth("", encode_to_b64=False)
            if decoded is MISSING:
                return AuthResult(success=False, handled=True)
            response = base64.b64encode(decoded)
        try:
            username, password = decode_plain(response)
        except SaslError:
            return AuthResult(success=False, handled=False, message=MALFORMED)
        return await self._check(server, username, password)

    async def auth_LOGIN(self, server, args):
        try:
            if len(args) > 1:
                username = decode_login_answer(args[1])
            else:
                answer = await server.challenge_auth(LOGIN_USERNAME_PROMPT, encode_to_b64=False)
                if answer is MISSING:
                    return AuthResult(success=False, handled=True)
                username = decode_login_answer(base64.b64encode(answer))
            answer = await server.challenge_auth(LOGIN_PASSWORD_PROMPT, encode_to_b64=False)
            if answer is MISSING:
                return AuthResult(success=False, handled=True)
            password = decode_login_answer(base64.b64encode(answer))
        except SaslError:
            return AuthResult(success=False, handled=False, message=MALFORMED)
        return await self._check(server, username, password)

    async def _check(self, server, username: str, password: str):
        # The relay port takes relay tokens only: an account's password is for submission.
        check = check_token if server.mode == "relay" else check_account
        try:
            account = await self.host.run_blocking(check, username, password, server.client_ip())
        except LockedOut as error:
            await asyncio.sleep(error.delay)
            return AuthResult(success=False, handled=False, message=LOCKED)
        except DirectoryUnavailable:
            return AuthResult(success=False, handled=False, message=DIRECTORY_UNAVAILABLE)
        except AccountDisabled as error:
            await asyncio.sleep(error.delay)
            return AuthResult(success=False, handled=False, message=DISABLED)
        except AuthFailed as error:
            await asyncio.sleep(error.delay)  # slows guessing; other sessions go on meanwhile
            return AuthResult(success=False, handled=False,
                              message=INVALID if server.mode == "relay" else INVALID_ACCOUNT)
        return AuthResult(success=True, auth_data=account)


def check_account(username: str, password: str, remote_ip: str | None):
    return check_credentials(username, password, remote_ip, "smtp")
