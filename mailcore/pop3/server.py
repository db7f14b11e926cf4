"""POP3 (RFC 1939) with CAPA and STLS (RFC 2449, RFC 2595) and SASL PLAIN (RFC 5034).

The maildrop is the account's INBOX, as a snapshot taken at login: message numbers
and sizes do not change during the session. Deletions are only marks until QUIT, when
the UPDATE state expunges them (and sets \\Seen on what was retrieved) through the
store, so IMAP and the webmail see the result. One POP3 session per account at a time
(the maildrop lock, RFC 1939 §8); UIDL is "<UIDVALIDITY>.<UID>", stable across sessions.
"""
import asyncio
import logging
import time

from mailcore.auth.credentials import check_credentials
from mailcore.auth.errors import AuthError, AuthorizationRefused, DirectoryUnavailable, LockedOut, SaslError
from mailcore.auth.sasl import decode_plain
from mailcore.service.connlimit import CommandRate, connection_slot
from mailcore.service.disabled import account_disabled
from mailcore.service.peers import is_secure
from mailcore.service.proxied import came_over_tls
from mailcore.service.tls import server_context
from mailcore.store.errors import MessageNotFound
from mailcore.store.maildrop import (
    RENEW_SECONDS,
    lock_maildrop,
    open_maildrop,
    read_message,
    renew_maildrop_lock,
    unlock_maildrop,
)
from mailcore.store.messages import expunge, store_flags

log = logging.getLogger(__name__)
MAX_LINE = 512  # RFC 2449 §4: commands up to 255 octets; answers are ours
# An AUTH PLAIN response on its own line (RFC 5034 §4) is base64, so it outgrows a command
# line with a long password; 8192 octets hold a 6 KB one (docs/security.md).
MAX_AUTH_RESPONSE = 8192
STREAM_LIMIT = MAX_AUTH_RESPONSE + 2  # the StreamReader's: no line longer is buffered
AUTH_TIMEOUT, TRANSACTION_TIMEOUT = 60, 600  # RFC 1939 §3: at least 10 minutes once logged in
MAX_BAD_COMMANDS = 20


class _Quit(Exception):
    pass


def _update(account_id: int, folder_id: int, deleted: list[int], retrieved: list[int]):
    if retrieved:
        store_flags(account_id, folder_id, retrieved, ["\\Seen"], mode="add")
    if deleted:
        store_flags(account_id, folder_id, deleted, ["\\Deleted"], mode="add")
        expunge(account_id, folder_id, deleted)


def dot_stuff(data: bytes) -> bytes:
    """RFC 1939 §3: lines starting with "." get another; the reply ends with CRLF.CRLF."""
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    lines = data.split(b"\r\n")
    return b"\r\n".join(b"." + line if line.startswith(b".") else line for line in lines) + b".\r\n"


class Pop3Session:
    def __init__(self, host, reader, writer, implicit_tls: bool):
        self.host, self.reader, self.writer = host, reader, writer
        self.tls = implicit_tls
        self.account = None
        self.lock_holder: str | None = None  # the maildrop lock's token (store/maildrop.py)
        self.lock_renewed = 0.0
        self.user: str | None = None
        self.maildrop = None  # store.maildrop.Maildrop, read at login
        self.deleted: set[int] = set()  # message numbers
        self.retrieved: set[int] = set()
        peer = writer.get_extra_info("peername")
        self.client_ip = peer[0] if peer else None
        self.rate = CommandRate()  # HOPTHU_COMMANDS_PER_SECOND: a flood waits before it is read

    @property
    def is_secure(self) -> bool:
        return is_secure(self.tls, self.client_ip)

    async def send(self, line: str | bytes):
        self.writer.write(line if isinstance(line, bytes) else line.encode() + b"\r\n")
        await self.writer.drain()

    async def run(self):
        await self.send("+OK HopThu POP3 ready")
        bad = 0
        while True:
            timeout = TRANSACTION_TIMEOUT if self.account else AUTH_TIMEOUT
            await self.rate.wait()
            try:
                line = await asyncio.wait_for(self._read_line(MAX_LINE), timeout)
            except (_Quit, TimeoutError):
                return  # RFC 1939 §3: an autologout timer ends without UPDATE
            if self.account is not None and await account_disabled(self.host, self.account):
                # Disabled since login (issue 16): no UPDATE, the marks are dropped (RFC 1939 §6).
                await self.send("-ERR [SYS/PERM] This account is disabled")
                return
            if self.account is not None and not await self._keep_lock():
                # Unreachable past the autologout timer but for a stalled node: no UPDATE.
                await self.send("-ERR [IN-USE] The maildrop lock was lost; log in again")
                return
            words = line.rstrip(b"\r\n").decode("utf-8", "replace").split(" ")
            name, args = words[0].upper(), words[1:]
            handler = COMMANDS_AUTH.get(name) if self.account is None else COMMANDS_TRANSACTION.get(name)
            try:
                if handler is None:
                    raise ValueError(f"Unknown command {name}" if name else "Empty command")
                await handler(self, args)
                bad = 0
            except _Quit:
                return
            except ValueError as error:
                bad += 1
                await self.send(f"-ERR {error}")
                if bad >= MAX_BAD_COMMANDS:
                    return
            except Exception:
                log.exception("POP3 command failed")
                await self.send("-ERR [SYS/TEMP] Internal error; please try again")

    async def _read_line(self, max_octets: int) -> bytes:
        """One line of at most max_octets, CRLF included. Over it, or at the end of input,
        the session ends (_Quit): the rest of a long line, unread, would be taken for commands."""
        try:
            line = await self.reader.readuntil(b"\n")
        except asyncio.IncompleteReadError:
            raise _Quit from None
        except asyncio.LimitOverrunError:
            line = None  # longer than STREAM_LIMIT: not even buffered
        if line is None or len(line) > max_octets:
            await self.send("-ERR Line too long")
            raise _Quit
        return line

    # --- Authorization state ----------------------------------------------------------------

    async def capa(self, args):
        await self.send("+OK Capability list follows")
        lines = ["TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING", "IMPLEMENTATION HopThu"]
        if self.account is None:
            if not self.tls:
                lines.append("STLS")
            if self.is_secure:
                lines += ["USER", "SASL PLAIN"]
        await self.send(b"".join(item.encode() + b"\r\n" for item in lines) + b".\r\n")

    async def stls(self, args):
        if self.tls:
            raise ValueError("TLS is already active")
        context = await self.host.run_blocking(server_context)
        await self.send("+OK Begin TLS negotiation")
        self.reader._buffer.clear()  # RFC 2595 §4: discard plaintext pipelined after STLS
        await self.writer.start_tls(context)
        self.tls = True

    async def user_command(self, args):
        if not self.is_secure:
            raise ValueError("[SYS/PERM] Use STLS first: passwords are not sent in the clear")
        if len(args) != 1:
            raise ValueError("USER takes one argument")
        self.user = args[0]
        await self.send("+OK Send PASS")

    async def pass_command(self, args):
        if self.user is None:
            raise ValueError("USER first")
        user, self.user = self.user, None
        await self._log_in(user, " ".join(args))

    async def auth(self, args):
        if not args:
            await self.send(b"+OK\r\nPLAIN\r\n.\r\n")  # RFC 5034 §4: AUTH alone lists mechanisms
            return
        if args[0].upper() != "PLAIN":
            raise ValueError("Unsupported mechanism; use PLAIN")
        if not self.is_secure:
            raise ValueError("[SYS/PERM] Use STLS first: passwords are not sent in the clear")
        response = args[1] if len(args) > 1 else None
        if response is None or response == "=":
            await self.send("+ ")
            try:  # the handler is outside run()'s timeout: this wait gets its own
                line = await asyncio.wait_for(self._read_line(MAX_AUTH_RESPONSE), AUTH_TIMEOUT)
            except TimeoutError:
                raise _Quit from None
            response = line.decode("ascii", "replace").strip()
        if response == "*":
            raise ValueError("Authentication cancelled")
        try:
            username, password = decode_plain(response)
        except AuthorizationRefused as error:
            raise ValueError("[AUTH] Acting as another user is not allowed") from error
        except SaslError as error:
            raise ValueError("A PLAIN response is base64 of authzid NUL authcid NUL password") from error
        await self._log_in(username, password)

    async def _log_in(self, username: str, password: str):
        try:
            account = await self.host.run_blocking(check_credentials, username, password, self.client_ip, "pop3")
        except LockedOut as error:
            await asyncio.sleep(error.delay)
            raise ValueError(f"[SYS/TEMP] {error.message}") from error
        except DirectoryUnavailable as error:  # RFC 3206 §4: SYS/TEMP, a temporary system failure
            raise ValueError(f"[SYS/TEMP] {error.message}") from error
        except AuthError as error:  # RFC 3206: [AUTH] means the credentials themselves
            await asyncio.sleep(error.delay)
            raise ValueError(f"[AUTH] {error.message}") from error
        # RFC 1939 §8 and RFC 2449 §8.1.2: one session at a time, on any node.
        holder = await self.host.run_blocking(lock_maildrop, account.pk)
        if holder is None:
            raise ValueError("[IN-USE] The maildrop is open in another POP3 session")
        self.lock_holder, self.lock_renewed = holder, time.monotonic()
        self.account = account
        self.maildrop = await self.host.run_blocking(open_maildrop, account.pk)
        self.messages = self.maildrop.messages
        await self.send(f"+OK Logged in; {len(self.messages)} messages")

    async def quit(self, args):
        if self.account is not None:
            deleted = [self.messages[n - 1][0] for n in sorted(self.deleted)]
            retrieved = [self.messages[n - 1][0] for n in sorted(self.retrieved - self.deleted)]
            await self.host.run_blocking(_update, self.account.pk, self.maildrop.folder_id, deleted, retrieved)
            await self.release()  # before the answer: the client may log in again at once
        await self.send("+OK Bye")
        raise _Quit

    # --- Transaction state ----------------------------------------------------------------

    def _number(self, args, count=1) -> int:
        if len(args) < count or not args[0].isdigit():
            raise ValueError("A message number is required")
        number = int(args[0])
        if not 1 <= number <= len(self.messages) or number in self.deleted:
            raise ValueError("No such message")
        return number

    async def stat(self, args):
        live = [size for n, (_uid, size) in enumerate(self.messages, 1) if n not in self.deleted]
        await self.send(f"+OK {len(live)} {sum(live)}")

    async def list_command(self, args):
        if args:
            number = self._number(args)
            await self.send(f"+OK {number} {self.messages[number - 1][1]}")
            return
        lines = [f"{n} {size}" for n, (_uid, size) in enumerate(self.messages, 1) if n not in self.deleted]
        await self.send(f"+OK {len(lines)} messages".encode() + b"\r\n" +
                        b"".join(line.encode() + b"\r\n" for line in lines) + b".\r\n")

    async def uidl(self, args):
        validity = self.maildrop.uidvalidity
        if args:
            number = self._number(args)
            await self.send(f"+OK {number} {validity}.{self.messages[number - 1][0]}")
            return
        lines = [f"{n} {validity}.{uid}" for n, (uid, _size) in enumerate(self.messages, 1) if n not in self.deleted]
        await self.send(b"+OK\r\n" + b"".join(line.encode() + b"\r\n" for line in lines) + b".\r\n")

    async def _read(self, number: int) -> bytes:
        uid = self.messages[number - 1][0]
        try:
            return await self.host.run_blocking(read_message, self.account.pk, self.maildrop.folder_id, uid)
        except MessageNotFound:  # expunged over IMAP or the webmail since login
            raise ValueError("That message was removed by another client") from None

    async def retr(self, args):
        number = self._number(args)
        data = await self._read(number)
        self.retrieved.add(number)
        await self.send(f"+OK {len(data)} octets".encode() + b"\r\n" + dot_stuff(data))

    async def top(self, args):
        number = self._number(args, 2)
        if len(args) != 2 or not args[1].isdigit():
            raise ValueError("TOP takes a message number and a line count")
        data = await self._read(number)
        head, sep, body = data.partition(b"\r\n\r\n")
        lines = body.split(b"\r\n")[:int(args[1])] if sep else []
        await self.send(b"+OK\r\n" + dot_stuff(head + sep + b"\r\n".join(lines)))

    async def dele(self, args):
        number = self._number(args)
        self.deleted.add(number)
        await self.send(f"+OK Message {number} deleted")

    async def rset(self, args):
        self.deleted.clear()
        await self.send("+OK")

    async def noop(self, args):
        await self.send("+OK")

    async def _keep_lock(self) -> bool:
        if time.monotonic() - self.lock_renewed < RENEW_SECONDS:
            return True
        self.lock_renewed = time.monotonic()
        return await self.host.run_blocking(renew_maildrop_lock, self.account.pk, self.lock_holder)

    async def release(self):
        if self.account is not None and self.lock_holder is not None:
            holder, self.lock_holder = self.lock_holder, None
            await self.host.run_blocking(unlock_maildrop, self.account.pk, holder)


COMMANDS_AUTH = {"CAPA": Pop3Session.capa, "STLS": Pop3Session.stls, "USER": Pop3Session.user_command,
                 "PASS": Pop3Session.pass_command, "AUTH": Pop3Session.auth, "QUIT": Pop3Session.quit}
COMMANDS_TRANSACTION = {"CAPA": Pop3Session.capa, "STAT": Pop3Session.stat, "LIST": Pop3Session.list_command,
                        "UIDL": Pop3Session.uidl, "RETR": Pop3Session.retr, "TOP": Pop3Session.top,
                        "DELE": Pop3Session.dele, "RSET": Pop3Session.rset, "NOOP": Pop3Session.noop,
                        "QUIT": Pop3Session.quit}


async def serve(host, reader, writer, implicit_tls=False):
    async with connection_slot(host, writer) as refusal:
        if refusal is not None:
            writer.write(f"-ERR [SYS/TEMP] {refusal}\r\n".encode())  # RFC 3206 §4: a temporary refusal
            writer.close()
            return
        # A proxy that ended the client's TLS counts as TLS (service/proxied.py).
        session = Pop3Session(host, reader, writer, implicit_tls or came_over_tls(writer))
        try:
            await session.run()
        except (ConnectionError, OSError):
            pass
        finally:
            await session.release()
            writer.close()

