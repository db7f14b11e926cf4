"""NOTIFY (RFC 5465 §3): the command, and how a session that sent it runs.

NOTIFY SET [STATUS] event-group... replaces what the session is told of; NOTIFY NONE
stops it all, the selected folder's updates at NOOP and IDLE included (§3.1). What is
sent, and when, is notifications.py's; here are the grammar (§8), its rules (§5, §6.1)
and the hooks Session.run and dispatch call while a NOTIFY is in force.

Choices where the RFC leaves room, or where Dovecot 2.3 (the reference) differs:
- MessageNew and MessageExpunge together, and FlagChange only with both, are enforced
  (BAD) for SELECTED and SELECTED-DELAYED, where sequence numbers depend on them (§5);
  for other folders a STATUS tells counts, not positions, and any subset is accepted,
  as Dovecot does (imaptest's `notify` group sends `(mailboxes X (MessageExpunge))`).
- Unsupported events (AnnotationChange, MailboxMetadataChange, ServerMetadataChange:
  there is no METADATA; and any unknown event name) are NO [BADEVENT (...)] listing the
  events supported (§3.1, §8 unsupported-events-code; Dovecot lists the unsupported).
- INBOXES (§6.3) is INBOX, Junk and the folders the account's active rules move mail
  to, read at NOTIFY; PERSONAL when the operator has rule hooks, which may pick any folder.
- More than MAX_NAMES names in SUBTREE and MAILBOXES, or more than MAX_GROUPS event
  groups, is NO [NOTIFICATIONOVERFLOW] (§3.1): each change is matched against them, and
  Dovecot also stops at 100 names.
"""
import asyncio
import contextlib
import logging
import time

from mailcore.delivery.rules import has_hooks
from mailcore.delivery.user_rules import RuleBook
from mailcore.store.errors import StoreError
from mailcore.store.folders import DELIMITER, INBOX, canonical_name

from ..errors import ImapBad, ImapError, ImapNo
from ..parser import Cursor
from ..server import AUTHED, command
from ..watch import read_snapshot
from .fetch import parse_atts
from .mailbox import mailbox_name
from .notifications import MESSAGE_NEW, Group, Selected, Spec, install
from .updates import sync

log = logging.getLogger(__name__)

EVENT_NAMES = ("MessageNew", "MessageExpunge", "FlagChange", "AnnotationChange", "MailboxName",
               "SubscriptionChange", "MailboxMetadataChange", "ServerMetadataChange")
MESSAGE_EVENTS = {"MessageNew", "MessageExpunge", "FlagChange", "AnnotationChange"}  # §8 message-event
SUPPORTED = ("MessageNew", "MessageExpunge", "FlagChange", "MailboxName", "SubscriptionChange")
FILTERS = ("SELECTED", "SELECTED-DELAYED", "INBOXES", "PERSONAL", "SUBSCRIBED", "SUBTREE", "MAILBOXES")
MAX_NAMES = 100
MAX_GROUPS = 100


@command("NOTIFY", AUTHED)
async def cmd_notify(session, tag: str, cursor: Cursor):
    """Ask to be told of events (SET) or of none (NONE). State: authenticated or selected.
    RFC 5465 §3.1."""
    cursor.sp()
    if cursor.take(b"NONE"):
        cursor.end()
        install(session, Spec())
        await session.ok(tag, "NOTIFY completed")
        return
    cursor.expect(b"SET", "SET or NONE")
    status = cursor.take(b" STATUS")  # §3.1 the STATUS indicator
    groups = []
    while not cursor.at_end():
        cursor.sp()
        groups.append(_event_group(session, cursor))
    if not groups:
        raise ImapBad("NOTIFY SET needs at least one event group")
    spec = _spec(groups)
    if any(group.filter == "INBOXES" and group.events for group in spec.groups):
        spec = Spec(spec.selected, spec.groups, await session.host.run_blocking(inbox_names, session.account.pk))
    snapshot = None
    if spec.watches_others:
        snapshot = await session.host.run_blocking(read_snapshot, session.account.pk, spec.needs_subscriptions,
                                                   time.monotonic())
    install(session, spec, snapshot)
    if snapshot is not None:
        await session.notify.take_counts(session, snapshot, tell=status)
    # §3.1: a successful NOTIFY SET is an implicit NOOP for the selected folder.
    await session.notify.selected_updates(session, held=False)
    await session.ok(tag, "NOTIFY completed")


def _event_group(session, cursor: Cursor) -> tuple:
    """ "(" filter-mailboxes SP events ")" → (filter, names, events or None for NONE, fetch-atts)."""
    cursor.expect(b"(", "'('")
    kind = cursor.atom("a mailbox filter").upper()
    if kind not in FILTERS:
        raise ImapBad(f"Unknown mailbox filter {kind}")
    names = []
    if kind in ("SUBTREE", "MAILBOXES"):  # one-or-more-mailbox; no wildcards (§6.6)
        cursor.sp()
        if cursor.peek() == ord("("):
            names = cursor.paren_list(lambda: _name(session, cursor))
            if not names:
                raise ImapBad(f"{kind} needs at least one mailbox")
        else:
            names = [_name(session, cursor)]
    cursor.sp()
    events, fetch_atts = None, ()
    if not cursor.take(b"NONE"):
        found = []

        def event():
            nonlocal fetch_atts
            name = cursor.atom("an event")
            name = next((known for known in EVENT_NAMES if known.upper() == name.upper()), name)
            if name == MESSAGE_NEW and cursor.peek_text(b" ("):  # §5.2 MessageNew (fetch-att ...)
                cursor.sp()
                fetch_atts = tuple(parse_atts(cursor))
                if not fetch_atts:
                    raise ImapBad("MessageNew's fetch attributes may not be empty")
            found.append(name)

        cursor.paren_list(event)
        if not found:
            raise ImapBad("An event list may not be empty; use NONE")
        events = found
    cursor.expect(b")", "')'")
    return kind, names, events, fetch_atts


def _name(session, cursor: Cursor) -> str:
    """A mailbox name as the store spells it; a name no folder can have is kept as sent
    and never matches (§3.1: names the client can't see are ignored)."""
    try:
        name = mailbox_name(session, cursor)
    except ImapNo:
        return "\0"  # not valid modified UTF-7: no folder has this name
    with contextlib.suppress(StoreError):
        name = canonical_name(name)
    return name


def _spec(groups: list) -> Spec:
    """Check the rules of §5 and §6.1 and build the Spec; BAD or NO as §3.1 says."""
    selected, others, names = None, [], 0
    for kind, group_names, events, fetch_atts in groups:
        event_set = frozenset(events or ())
        if kind in ("SELECTED", "SELECTED-DELAYED"):
            if selected is not None:
                raise ImapBad("Only one SELECTED or SELECTED-DELAYED group is allowed")  # §6.1
            if event_set & (set(EVENT_NAMES) - MESSAGE_EVENTS):
                raise ImapBad(f"{kind} takes only message events")  # §6.1
            if ("MessageNew" in event_set) != ("MessageExpunge" in event_set):
                raise ImapBad("MessageNew and MessageExpunge go together")  # §5
            if event_set & {"FlagChange", "AnnotationChange"} and "MessageNew" not in event_set:
                raise ImapBad("FlagChange needs MessageNew and MessageExpunge")  # §5
            selected = Selected(kind == "SELECTED-DELAYED", event_set, fetch_atts)
        else:
            names += len(group_names)
            others.append(Group(kind, event_set, frozenset(group_names)))
    unsupported = {event for _kind, _names, events, _atts in groups for event in events or () if event not in SUPPORTED}
    if unsupported:
        raise ImapNo(f"Unsupported events: {' '.join(sorted(unsupported))}",
                     code=f"BADEVENT ({' '.join(SUPPORTED)})")
    if names > MAX_NAMES or len(groups) > MAX_GROUPS:
        raise ImapNo(f"At most {MAX_NAMES} mailbox names and {MAX_GROUPS} event groups",
                     code="NOTIFICATIONOVERFLOW")
    return Spec(selected, tuple(others))


def inbox_names(account_id: int) -> frozenset | None:
    """§6.3 INBOXES: the folders delivery may file this account's mail into (INBOX, Junk
    for spam, the folders its active rules move mail to), or None, standing for PERSONAL,
    when the operator's rule hooks may choose any folder."""
    if has_hooks():
        return None
    names = {INBOX, "Junk"}
    for rule in RuleBook([account_id]).rules_of(account_id):
        names.update(action["folder"] for action in rule.actions
                     if action.get("action") == "move" and action.get("folder"))
    return frozenset(names)


# --- Hooks for the session's read loop and for NOOP/CHECK -----------------------------------

async def between_commands(session, read):
    """The client's next command (the awaitable `read`), sending events while it comes."""
    reading = asyncio.ensure_future(read)
    try:
        while True:
            notifier = session.notify
            if notifier is None or notifier.watcher is None:
                return await reading
            waiting = asyncio.ensure_future(notifier.changed.wait())
            try:
                await asyncio.wait({reading, waiting}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                waiting.cancel()
            if reading.done():
                return reading.result()
            notifier.changed.clear()
            try:
                await notifier.deliver(session, fresh=False, held=True)
            except (ConnectionError, asyncio.CancelledError):
                raise
            except Exception:
                log.exception("NOTIFY events could not be sent")
    finally:
        if not reading.done():
            reading.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await reading


OWN_CHANGES = {"CREATE", "DELETE", "RENAME", "SUBSCRIBE", "UNSUBSCRIBE", "APPEND", "COPY", "UID COPY", "MOVE",
               "UID MOVE"}


async def around_command(session, name: str, handler, tag: str, cursor: Cursor):
    """Run a command of a session with NOTIFY, then take in what the client knows of."""
    targets = _own_targets(session, name, cursor) if name in OWN_CHANGES else None
    selected_before = session.folder.pk if session.folder is not None else None
    try:
        await handler(session, tag, cursor)
    finally:
        notifier = session.notify
        if notifier is not None and notifier.spec.watching:
            try:
                await notifier.after_command(session, name, targets, selected_before)
            except (ConnectionError, asyncio.CancelledError):
                raise
            except Exception:
                log.exception("NOTIFY could not follow a command")


def _own_targets(session, name: str, cursor: Cursor):
    """(folder names, subscription names, APPEND/COPY/MOVE target) a command changes, as
    predicates on names; None if its arguments don't parse (it fails anyway)."""
    copy = Cursor(cursor.pieces)
    copy.index, copy.pos = cursor.index, cursor.pos
    try:
        if name in ("COPY", "UID COPY", "MOVE", "UID MOVE"):
            copy.sp()
            copy.sequence_set()
        copy.sp()
        first = canonical_name(mailbox_name(session, copy).rstrip(DELIMITER) or DELIMITER)
        second = None
        if name == "RENAME":
            copy.sp()
            second = canonical_name(mailbox_name(session, copy))
    except (ImapError, StoreError):
        return None
    if name == "CREATE":  # the folder and the parents it created
        return (lambda other: other == first or first.startswith(other + DELIMITER)), None, None
    if name == "DELETE":
        return (lambda other: other == first), None, None
    if name == "RENAME":  # the folder, its children, a parent made for the new name; subscriptions follow

        def renamed(other):
            return (other in (first, second) or other.startswith((first + DELIMITER, second + DELIMITER))
                    or second.startswith(other + DELIMITER))

        return renamed, renamed, None
    if name in ("SUBSCRIBE", "UNSUBSCRIBE"):
        return None, (lambda other: other == first), None
    return (lambda other: other == first), None, first  # APPEND, COPY, MOVE: the target folder


async def poll_updates(session):
    """NOOP and CHECK: the selected folder's updates (updates.sync); with NOTIFY, what it
    asked for, SELECTED-DELAYED's held events included, and nothing it did not (§5)."""
    if session.notify is None:
        await sync(session)
    else:
        await session.notify.deliver(session, fresh=True, held=False)
