"""The IMAP listener and its read loop: one command at a time per connection.

Implementation notes (after mox's imapserver): the COMMANDS table maps each command to
its handler and the states it is valid in; the dispatcher checks the state, so handlers
don't. A handler raises ImapNo/ImapBad/ImapBye (errors.py) and the dispatcher turns them
into the tagged reply; any other exception is logged and answered NO without details,
and the session goes on. Blocking work (passwords, the database) goes through
host.run_blocking, never on the loop.
"""
import asyncio
import bisect
import logging
import ssl
from array import array
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from django.conf import settings

from mailcore.service.connlimit import CommandRate, connection_slot
from mailcore.service.disabled import account_disabled
from mailcore.service.peers import is_secure
from mailcore.service.proxied import came_over_tls

from .errors import ImapBad, ImapBye, ImapError, ImapNo
from .parser import parse_command_start
from .reader import prelogin_limits, read_command
from .recent import RecentUids, with_recent

log = logging.getLogger(__name__)

NOT_AUTHENTICATED, AUTHENTICATED, SELECTED, LOGOUT = "not authenticated", "authenticated", "selected", "logout"
ANY = frozenset({NOT_AUTHENTICATED, AUTHENTICATED, SELECTED})
AUTHED = frozenset({AUTHENTICATED, SELECTED})
MAX_BAD_COMMANDS = 20  # in a row: then the client is not speaking IMAP (RFC 9051 §7.1.5 BYE)
IDLE_TIMEOUT = 30 * 60  # RFC 9051 §5.4: at least 30 minutes of inactivity before autologout
LOGIN_TIMEOUT = 60


@dataclass(frozen=True)
class Command:
    handler: Callable[..., Awaitable[None]]
    states: frozenset


COMMANDS: dict[str, Command] = {}


def command(name: str, states=ANY):
    """Register a handler for a command name (decorator)."""

    def register(handler):
        COMMANDS[name] = Command(handler, frozenset(states))
        return handler

    return register


class Session:
    """One connection's state: the IMAP state, the account, the selected folder."""

    def __init__(self, host, reader, writer, *, implicit_tls: bool):
        self.host = host
        self.reader = reader
        self.writer = writer
        self.state = NOT_AUTHENTICATED
        self.account = None
        self.implicit_tls = implicit_tls
        self.tls = implicit_tls
        self.enabled: set[str] = set()
        self.folder = None  # the selected store Folder
        self.readonly = False
        # Message sequence number n is uids[n - 1] (RFC 9051 §2.3.1.2). An array of 32-bit
        # UIDs, not a list: a thousand sessions idling on 5,000-message folders would
        # otherwise hold 180 KB each in int objects.
        self.uids = array("I")
        self.modseq = 0  # changes up to this MODSEQ have been reported to the client
        self.recent = RecentUids()  # RFC 3501 §2.3.2: \Recent in this session only
        self.recent_reported = 0  # the last `* n RECENT` count sent
        # RFC 3501 §7.2.6: keywords announced in FLAGS, by lower-case name; a FETCH may
        # show a keyword only after it was announced.
        self.keywords: dict[str, str] = {}
        self.saved = array("I")  # RFC 5182: the UIDs of the last SEARCH ... RETURN (SAVE), "$"
        self.contexts: dict = {}  # RFC 5267 §4.3: searches kept up to date, by tag (searchcontext.py)
        self.rate = CommandRate()  # HOPTHU_COMMANDS_PER_SECOND: a flood waits before it is read
        self.notify = None  # NOTIFY (RFC 5465) in force: a commands.notifications.Notifier
        self.flag_updates = True  # whether updates report others' flag changes (NOTIFY may say no)
        peer = writer.get_extra_info("peername")
        self.client_ip = peer[0] if peer else None

    @property
    def is_secure(self) -> bool:
        return is_secure(self.tls, self.client_ip)

    def open_folder(self, folder, uids: list[int], readonly: bool, recent: tuple[int, int], keywords: list[str]):
        self.folder, self.uids, self.readonly = folder, array("I", uids), readonly
        self.modseq = folder.highestmodseq
        self.recent = RecentUids()
        self.recent.add(*recent)
        self.recent_reported = self.recent.count(self.uids)
        self.keywords = {keyword.lower(): keyword for keyword in keywords}
        self.saved = array("I")  # RFC 5182 §2.1: SELECT and EXAMINE empty "$"
        self.contexts = {}
        self.state = SELECTED

    def close_folder(self):
        if self.state == SELECTED:
            self.state = AUTHENTICATED
        self.folder, self.uids, self.readonly = None, array("I"), False
        self.recent, self.recent_reported, self.keywords = RecentUids(), 0, {}
        self.saved = array("I")
        self.contexts = {}  # RFC 5267 §4.3: updates cease when the folder is no longer selected

    def shown_flags(self, uid: int, flags) -> str:
        """A message's flags as a FETCH shows them in this session, \\Recent included."""
        return " ".join(with_recent(flags, uid in self.recent))

    def position(self, uid: int) -> int | None:
        """The message sequence number of a UID, or None if it is not in the session's view."""
        index = bisect.bisect_left(self.uids, uid)
        return index + 1 if index < len(self.uids) and self.uids[index] == uid else None

    async def send(self, data: bytes):
        self.writer.write(data)
        await self.writer.drain()

    async def untagged(self, text: str | bytes):
        await self.send(b"* " + (text.encode() if isinstance(text, str) else text) + b"\r\n")

    async def run(self):
        from .commands import capabilities

        await self.untagged(f"OK [CAPABILITY {' '.join(capabilities(self))}] HopThu IMAP ready")
        bad_in_a_row = 0
        while self.state != LOGOUT:
            timeout = IDLE_TIMEOUT if self.state in AUTHED else LOGIN_TIMEOUT
            await self.rate.wait()
            reading = read_command(self.reader, self.writer, **_limits(self.state))
            if self.notify is not None:
                from .commands.notify import between_commands

                reading = between_commands(self, reading)  # RFC 5465: events come while the client waits
            try:
                pieces = await asyncio.wait_for(reading, timeout)
            except TimeoutError:
                await self.send(ImapBye("Autologout; idle for too long").reply())
                return
            except EOFError:
                return
            except ImapBye as bye:
                await self.send(bye.reply())
                return
            except ImapBad as bad:
                bad_in_a_row += 1
                await self.send(bad.reply(getattr(bad, "tag", "*")))
                continue
            ok = await self.dispatch(pieces)
            pieces = None  # else an idle session keeps its last APPEND's literals until the next command
            bad_in_a_row = 0 if ok else bad_in_a_row + 1
            if bad_in_a_row >= MAX_BAD_COMMANDS:
                await self.send(ImapBye("Too many bad commands").reply())
                return

    async def dispatch(self, pieces) -> bool:
        tag = "*"
        try:
            if self.account is not None and await account_disabled(self.host, self.account):
                # Disabled since login (issue 16): the next command ends the session.
                raise ImapBye("This account is disabled")
            tag, name, cursor = parse_command_start(pieces)
            entry = COMMANDS.get(name)
            if entry is None:
                raise ImapBad(f"Unknown command {name}")
            if self.state not in entry.states:
                raise ImapBad(f"{name} is not allowed in the {self.state} state")
            if self.notify is None:
                await entry.handler(self, tag, cursor)
            else:
                from .commands.notify import around_command

                await around_command(self, name, entry.handler, tag, cursor)
            return True
        except ImapBye as bye:
            await self.send(bye.reply())
            self.state = LOGOUT
            return True
        except ImapBad as bad:
            await self.send(bad.reply(getattr(bad, "tag", tag)))
            return False
        except ImapError as error:
            await self.send(error.reply(tag))
            return True
        except (ConnectionError, ssl.SSLError):
            raise
        except Exception:
            log.exception("IMAP command failed")
            await self.send(ImapNo("Internal error; please try again", code="SERVERBUG").reply(tag))
            return True

    async def ok(self, tag: str, text: str, code: str | None = None):
        code_text = f"[{code}] " if code else ""
        await self.send(f"{tag} OK {code_text}{text}\r\n".encode())


def _limits(state: str) -> dict:
    """The reader's limits: small before login (issue 16: `LOGIN {52428800}` got "+")."""
    if state == NOT_AUTHENTICATED:
        return prelogin_limits(settings.HOPTHU_IMAP_MAX_LITERAL_BEFORE_LOGIN)
    return {"max_literal": settings.HOPTHU_MAX_MESSAGE_SIZE}


async def serve(host, reader, writer, implicit_tls=False):
    async with connection_slot(host, writer) as refusal:
        try:
            if refusal is not None:
                # RFC 5530 §3: UNAVAILABLE, the server can't serve this client now.
                writer.write(ImapBye(refusal, code="UNAVAILABLE").reply())
                return
            # A proxy that ended the client's TLS counts as TLS (service/proxied.py).
            session = Session(host, reader, writer, implicit_tls=implicit_tls or came_over_tls(writer))
            try:
                await session.run()
            finally:
                if session.notify is not None:
                    session.notify.stop()
        except (ConnectionError, ssl.SSLError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()
