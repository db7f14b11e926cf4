"""NOTIFY events (RFC 5465 §5): telling a session what changed in its account, as its
client asked with NOTIFY SET (commands/notify.py parses the command into a Spec).

When events go out:
- between commands, as soon as the watcher sees a change (Session.run waits for the
  client's next command and for the watcher at once: notify.between_commands). The selected
  folder's events go out then only for SELECTED; SELECTED-DELAYED holds them (§6.1.2)
  until a command after which expunges may be reported: NOOP, CHECK, IDLE, NOTIFY;
- during IDLE, exactly the events asked for (§4), and nothing else;
- never inside a command: FETCH, STORE and SEARCH never see EXPUNGE or EXISTS move their
  sequence numbers (RFC 9051 §7.5.1). EXPUNGE, MOVE and COPY still report what they
  report without NOTIFY (updates.sync), as their own answer.

How changes are found, without a query per folder: the process's FolderWatcher
(watch.py) reads every watched account's folders with their names and marks
(UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ) in one query per poll for all NOTIFY sessions, and
wakes an account's sessions when its list changed. A session compares the list with
what its client was last told (`known`): a folder new, gone or renamed is a MailboxName
event (§5.4), a subscription added or removed a SubscriptionChange (§5.5), a folder
whose marks moved had MessageNew (UIDNEXT moved), MessageExpunge (fewer messages than
before plus the new ones) or FlagChange (HIGHESTMODSEQ moved) (§5.1-5.3). Counts are
read only for those folders, in one statement, and shared between the sessions of the
process by the marks they were read at.

A client's own changes (§5: the server SHOULD NOT tell it what it did itself): after
CREATE, DELETE, RENAME, (UN)SUBSCRIBE, APPEND, COPY and MOVE, the folders and
subscriptions the command named are read again and taken into `known` silently, and an
older snapshot never undoes them (`pins`). The folder a session had selected is taken
in when it stops being selected: its events were the SELECTED filter's to send.
"""
import asyncio
import bisect
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import NamedTuple

from mailcore.store.folders import DELIMITER
from mailcore.store.status import folder_counts

from ..errors import ImapError
from ..watch import read_snapshot, watcher_of
from .fetch import FetchAtt, fetch_lines
from .mailbox import wire_name
from .updates import announce_keywords, sync

log = logging.getLogger(__name__)

MESSAGE_NEW, MESSAGE_EXPUNGE, FLAG_CHANGE = "MessageNew", "MessageExpunge", "FlagChange"
MAILBOX_NAME, SUBSCRIPTION_CHANGE = "MailboxName", "SubscriptionChange"
STATUS_EVENTS = (MESSAGE_NEW, MESSAGE_EXPUNGE, FLAG_CHANGE)
# §5.8: more notifications than this in one round are not sent; the client is told
# NOTIFICATIONOVERFLOW and resynchronizes itself (a mass import or a script flagging a
# whole folder would otherwise keep the session busy streaming for minutes).
MAX_EVENTS = 10_000
FETCH_BATCH = 100  # new messages whose MessageNew data is read from the store at once
COUNTS_KEPT = 1024


# --- What the client asked for -------------------------------------------------------------

@dataclass(frozen=True)
class Group:
    """An event group for folders other than the selected one (§6.2-6.6): a filter and
    its events; no events stands for NONE."""

    filter: str  # INBOXES, PERSONAL, SUBSCRIBED, SUBTREE or MAILBOXES
    events: frozenset
    names: frozenset = frozenset()

    def covers(self, name: str, subscribed, inboxes) -> bool:
        if self.filter == "PERSONAL":  # §6.2: every folder of the account is personal
            return True
        if self.filter == "INBOXES":  # §6.3: where delivery may file mail (None: all)
            return inboxes is None or name in inboxes
        if self.filter == "SUBSCRIBED":  # §6.4: the subscription list as it is now
            return name in subscribed
        if self.filter == "MAILBOXES":  # §6.6: exactly these names, no wildcards
            return name in self.names
        return name in self.names or any(name.startswith(base + DELIMITER) for base in self.names)  # §6.5


@dataclass(frozen=True)
class Selected:
    """The SELECTED or SELECTED-DELAYED group (§6.1) and MessageNew's fetch-atts (§5.2)."""

    delayed: bool
    events: frozenset
    fetch_atts: tuple = ()


@dataclass(frozen=True)
class Spec:
    """A NOTIFY SET; Spec() is NOTIFY NONE."""

    selected: Selected | None = None
    groups: tuple = ()
    inboxes: frozenset | None = None

    def wants(self, name: str, event: str, subscribed) -> bool:
        """Whether an event of another folder than the selected one is told. Groups are
        read in order: the first that covers the folder and names the event says yes, the
        first that covers it with NONE says no (§5: "NONE" keeps a folder out)."""
        for group in self.groups:
            if group.covers(name, subscribed, self.inboxes):
                if not group.events:
                    return False
                if event in group.events:
                    return True
        return False

    def wants_status(self, name: str, subscribed) -> bool:
        return any(self.wants(name, event, subscribed) for event in STATUS_EVENTS)

    @property
    def selected_events(self) -> frozenset:
        return self.selected.events if self.selected is not None else frozenset()

    @property
    def watches_others(self) -> bool:
        return any(group.events for group in self.groups)

    @property
    def needs_subscriptions(self) -> bool:
        """A SUBSCRIBED group (NONE included: it keeps subscribed folders out of later
        groups) or SubscriptionChange needs the subscription list read at each poll."""
        return self.watches_others and any(group.filter == "SUBSCRIBED" or SUBSCRIPTION_CHANGE in group.events
                                           for group in self.groups)

    @property
    def watching(self) -> bool:
        return self.watches_others or bool(self.selected_events)


class Seen(NamedTuple):
    """A folder as its client was last told of it; messages/unseen None when not read."""

    name: str
    special_use: str
    uidvalidity: int
    uidnext: int
    highestmodseq: int
    messages: int | None = None
    unseen: int | None = None


def _newer(marks, seen: Seen) -> bool:
    """Whether marks (a FolderMark or FolderCounts) are later than what was seen: within
    one UIDVALIDITY, UIDNEXT and HIGHESTMODSEQ only grow."""
    return (marks.uidvalidity != seen.uidvalidity or marks.uidnext > seen.uidnext
            or marks.highestmodseq > seen.highestmodseq)


# Counts of a folder at given marks, shared by the sessions of this process: every change
# moves UIDNEXT or HIGHESTMODSEQ, so the marks name one exact state. A read under way is
# shared too: the sessions of one account wake together and ask for the same folders.
_counts: OrderedDict[tuple, object] = OrderedDict()
_reading: dict[tuple, asyncio.Future] = {}


async def counts_of(session, marks) -> dict:
    """store.status.FolderCounts of these folders (FolderMarks), by folder id; a folder
    deleted meanwhile is absent."""
    found, missing, waiting = {}, [], []
    for mark in marks:
        key = (mark.folder_id, mark.uidvalidity, mark.uidnext, mark.highestmodseq)
        if key in _counts:
            _counts.move_to_end(key)
            found[mark.folder_id] = _counts[key]
        elif key in _reading:
            waiting.append((mark.folder_id, _reading[key]))
        else:
            missing.append(key)
    if missing:
        future = asyncio.get_running_loop().create_future()
        _reading.update(dict.fromkeys(missing, future))
        read = {}
        try:
            read = await session.host.run_blocking(folder_counts, [key[0] for key in missing])
        finally:
            future.set_result(read)  # those waiting on a failed read find nothing, and retry later
            for key in missing:
                _reading.pop(key, None)
        for folder_id, counts in read.items():
            found[folder_id] = counts
            _counts[(folder_id, counts.uidvalidity, counts.uidnext, counts.highestmodseq)] = counts
        while len(_counts) > COUNTS_KEPT:
            _counts.popitem(last=False)
    for folder_id, future in waiting:
        counts = (await future).get(folder_id)
        if counts is not None:
            found[folder_id] = counts
    return found


# --- Response lines --------------------------------------------------------------------------

def _list_line(session, name: str, attributes: list[str], oldname: str | None = None) -> bytes:
    """An (extended, RFC 5258) LIST response; OLDNAME after a rename (§5.4)."""
    line = f'LIST ({" ".join(attributes)}) "{DELIMITER}" '.encode() + wire_name(session, name)
    if oldname is not None:
        line += b' ("OLDNAME" (' + wire_name(session, oldname) + b"))"
    return line


def _attributes(name: str, folders: dict, subscribed, tracked: bool) -> list[str]:
    """LIST's attributes of a name (commands/listing.py gives the same): children
    (RFC 3348), special use (RFC 6154), \\NonExistent for a name without a folder, and
    \\Subscribed when the session follows subscriptions (§5.5: if and only if subscribed)."""
    mark = folders.get(name)
    if mark is None:
        attributes = ["\\NonExistent"]
    else:
        children = any(other.startswith(name + DELIMITER) for other in folders)
        attributes = ["\\HasChildren" if children else "\\HasNoChildren"]
        if mark.special_use:
            attributes.append(mark.special_use)
    if tracked and name in subscribed:
        attributes.append("\\Subscribed")
    return attributes


def _status_line(session, name: str, items: list[str], counts) -> bytes:
    values = {"MESSAGES": counts.messages, "UIDNEXT": counts.uidnext, "UIDVALIDITY": counts.uidvalidity,
              "UNSEEN": counts.unseen, "HIGHESTMODSEQ": counts.highestmodseq}
    pairs = " ".join(f"{item} {values[item]}" for item in items)
    return b"STATUS " + wire_name(session, name) + f" ({pairs})".encode()


# --- One session's notifications --------------------------------------------------------------

class Notifier:
    """A session's NOTIFY: its Spec, what its client was last told of each folder of the
    account (`known`, by folder id, as of the snapshot taken at `taken`), and the event
    the watcher sets when the account changed."""

    def __init__(self, session, spec: Spec, snapshot=None):
        self.spec = spec
        self.account_id = session.account.pk
        self.changed = asyncio.Event()
        self.known: dict[int, Seen] = {}
        self.subscribed: frozenset = frozenset()
        self.taken = 0.0
        self.pins: dict[tuple, float] = {}  # ("folder", id) / ("sub", name) → taken in at
        self.fetched_upto = session.uids[-1] if session.uids else 0  # MessageNew FETCHes sent up to this UID
        if snapshot is not None:
            self.known = {mark.folder_id: Seen(*mark[1:]) for mark in snapshot.folders}
            self.subscribed = snapshot.subscribed or frozenset()
            self.taken = snapshot.taken
        # §5.1: flag changes of the selected folder go out only if FlagChange was asked for.
        session.flag_updates = FLAG_CHANGE in spec.selected_events
        self.watcher = None
        if spec.watching:
            self.watcher = watcher_of(session.host)
            self.watcher.watch_account(self.account_id, self.changed, spec.needs_subscriptions)

    def stop(self):
        if self.watcher is not None:
            self.watcher.unwatch_account(self.account_id, self.changed)
            self.watcher = None

    async def fresh(self, session):
        return await session.host.run_blocking(read_snapshot, self.account_id, self.spec.needs_subscriptions,
                                               time.monotonic())

    async def deliver(self, session, *, fresh: bool, held: bool):
        """Send what happened since the client was last told. fresh: read the account
        now (NOOP, CHECK, the start of IDLE) rather than take the watcher's last read;
        held: between commands, where SELECTED-DELAYED holds the selected folder's events."""
        if session.notify is not self:
            return  # replaced (NOTIFY, NOTIFICATIONOVERFLOW) while a caller held on to it
        snapshot = None if fresh or self.watcher is None else self.watcher.snapshots.get(self.account_id)
        if not await self.selected_updates(session, held, snapshot):
            return
        if self.spec.watches_others and session.notify is self:
            if fresh:
                snapshot = await self.fresh(session)
            if snapshot is not None:
                await self._others(session, snapshot)

    async def selected_updates(self, session, held: bool, snapshot=None) -> bool:
        """§5.1-5.3 for the selected folder: updates.sync's EXPUNGE/VANISHED, EXISTS and
        flag FETCHes, then a FETCH of the asked-for items for each new message (§5.2).
        With the watcher's snapshot, nothing is read when it shows no change there. False
        if the round overflowed."""
        selected = self.spec.selected
        if session.folder is None or selected is None or not selected.events:
            return True
        if held and selected.delayed:
            return True  # §6.1.2: held until NOOP, CHECK, IDLE or NOTIFY
        mark = None
        if snapshot is not None:
            mark = next((mark for mark in snapshot.folders if mark.folder_id == session.folder.pk), None)
        synced = getattr(session, "synced_modseq", None)
        if mark is None or synced is None or mark.highestmodseq > synced:
            await sync(session)  # else nothing new there as of this read: every change moves HIGHESTMODSEQ
        start = bisect.bisect_right(session.uids, self.fetched_upto)
        new = session.uids[start:].tolist()
        if not new or not selected.fetch_atts:
            self.fetched_upto = max(self.fetched_upto, session.uids[-1] if session.uids else 0)
            return True
        self.fetched_upto = new[-1]
        if len(new) > MAX_EVENTS:
            await self.overflow(session)
            return False
        atts = [FetchAtt("UID"), *(att for att in selected.fetch_atts if att.name != "UID")]
        if "CONDSTORE" in session.enabled and not any(att.name == "MODSEQ" for att in atts):
            atts.append(FetchAtt("MODSEQ"))  # RFC 7162 §3.1.4.1: unsolicited FETCHes carry MODSEQ
        for start in range(0, len(new), FETCH_BATCH):
            # Never sets \Seen: a notification is not the user reading (§5.2 asks clients
            # not to use such items; we serve them as BODY.PEEK would).
            try:
                lines, keywords = await session.host.run_blocking(
                    fetch_lines, session.account.pk, session.folder.pk, new[start:start + FETCH_BATCH], atts,
                    False, None, session.recent)
            except ImapError as error:  # e.g. BINARY of an unknown encoding: said, and the rest goes on
                await session.send(error.reply("*"))
                continue
            await announce_keywords(session, keywords)
            for uid, data in lines:
                position = session.position(uid)
                if position is not None:
                    await session.send(b"* %d FETCH " % position + data + b"\r\n")
        return True

    async def _others(self, session, snapshot):
        """MailboxName, SubscriptionChange and STATUS for folders other than the selected one."""
        if snapshot.taken < self.taken:
            return  # older than what the client was already told
        spec = self.spec
        selected = session.folder.pk if session.folder is not None else None
        held = {key for key, taken in self.pins.items() if taken > snapshot.taken}
        self.pins = {key: self.pins[key] for key in held}
        current = {mark.folder_id: mark for mark in snapshot.folders}
        by_name = {mark.name: mark for mark in snapshot.folders}
        tracked = snapshot.subscribed is not None
        before = self.subscribed
        now = snapshot.subscribed if tracked else before
        lines, candidates = [], []
        for folder_id in sorted(current.keys() | self.known.keys()):
            if ("folder", folder_id) in held:
                continue
            mark, seen = current.get(folder_id), self.known.get(folder_id)
            if mark is None:  # deleted (§5.4: \NonExistent)
                if spec.wants(seen.name, MAILBOX_NAME, before | now):
                    lines.append(_list_line(session, seen.name, _attributes(seen.name, by_name, now, tracked)))
                del self.known[folder_id]
                continue
            if seen is None:  # created; a UIDVALIDITY of 0 makes its STATUS whole
                if spec.wants(mark.name, MAILBOX_NAME, now):
                    lines.append(_list_line(session, mark.name, _attributes(mark.name, by_name, now, tracked)))
                seen = Seen(mark.name, mark.special_use, 0, 1, 0, 0, 0)
            elif mark.name != seen.name and (spec.wants(mark.name, MAILBOX_NAME, now)
                                             or spec.wants(seen.name, MAILBOX_NAME, before)):
                lines.append(_list_line(session, mark.name, _attributes(mark.name, by_name, now, tracked), seen.name))
            seen = seen._replace(name=mark.name, special_use=mark.special_use)
            if _newer(mark, seen) and folder_id != selected and spec.wants_status(mark.name, now):
                candidates.append(mark)  # its marks move into `known` with its counts, below
            elif _newer(mark, seen):
                seen = Seen(*mark[1:])  # not told: the counts are unknown from here on
            self.known[folder_id] = seen
        if tracked:
            pinned = {name for kind, name in held if kind == "sub"}
            for name in sorted((now ^ before) - pinned):  # §5.5
                if spec.wants(name, SUBSCRIPTION_CHANGE, now | before):
                    lines.append(_list_line(session, name, _attributes(name, by_name, now, True)))
            self.subscribed = frozenset((now - pinned) | (before & pinned))
        statuses = await self._statuses(session, candidates, now)
        if len(lines) + len(statuses) > MAX_EVENTS:
            await self.overflow(session)
            return
        for line in [*lines, *statuses]:
            await session.untagged(line)
        self.taken = snapshot.taken

    async def _statuses(self, session, marks, subscribed) -> list[bytes]:
        """§5.1-5.3: a STATUS for each folder where an asked-for event happened, in name order."""
        if not marks:
            return []
        counts = await counts_of(session, marks)
        out = []
        for mark in sorted(marks, key=lambda mark: mark.name):
            found, seen = counts.get(mark.folder_id), self.known[mark.folder_id]
            if found is None or not _newer(found, seen):
                continue  # deleted meanwhile (the next round says so), or nothing new
            items = self._status_items(session, seen, found, mark.name, subscribed)
            self.known[mark.folder_id] = Seen(mark.name, mark.special_use, *found[1:])
            if items:
                out.append(_status_line(session, mark.name, items, found))
        return out

    def _status_items(self, session, seen: Seen, counts, name: str, subscribed) -> list[str]:
        happened = set()
        whole = counts.uidvalidity != seen.uidvalidity  # created, or renamed (a new UIDVALIDITY)
        if whole:
            happened = set(STATUS_EVENTS)
        else:
            if counts.uidnext != seen.uidnext:
                happened.add(MESSAGE_NEW)
            if counts.highestmodseq != seen.highestmodseq:
                happened.add(FLAG_CHANGE)
                if seen.messages is None or seen.messages + counts.uidnext - seen.uidnext > counts.messages:
                    happened.add(MESSAGE_EXPUNGE)
        wanted = {event for event in happened if self.spec.wants(name, event, subscribed)}
        return status_items(session, wanted, whole)

    async def take_counts(self, session, snapshot, tell: bool):
        """The counts of each folder but the selected one that a message event was asked
        for, read once at NOTIFY SET so that later events are told apart exactly; with
        tell (§3.1 NOTIFY SET STATUS), a STATUS for each, before the tagged OK."""
        spec, now = self.spec, snapshot.subscribed or frozenset()
        selected = session.folder.pk if session.folder is not None else None
        marks = [mark for mark in snapshot.folders if mark.folder_id != selected and spec.wants_status(mark.name, now)]
        counts = await counts_of(session, marks)
        for mark in sorted(marks, key=lambda mark: mark.name):
            found = counts.get(mark.folder_id)
            if found is None:
                continue
            if tell:
                wanted = {event for event in STATUS_EVENTS if spec.wants(mark.name, event, now)}
                await session.untagged(_status_line(session, mark.name, status_items(session, wanted, True), found))
            self.known[mark.folder_id] = Seen(mark.name, mark.special_use, *found[1:])

    async def absorb(self, session, names=None, subscriptions=None, folder_ids=()):
        """Take into `known`, untold, what this client's own command changed (§5): the
        folders whose name `names` accepts (before or after), the subscriptions
        `subscriptions` accepts, and these folder ids."""
        snapshot = await self.fresh(session)
        current = {mark.folder_id: mark for mark in snapshot.folders}
        touched = {folder_id for folder_id in folder_ids if folder_id is not None}
        if names is not None:
            touched |= {folder_id for folder_id, mark in current.items() if names(mark.name)}
            touched |= {folder_id for folder_id, seen in self.known.items() if names(seen.name)}
        counts = await counts_of(session, [current[folder_id] for folder_id in touched if folder_id in current])
        for folder_id in touched:
            mark = current.get(folder_id)
            if mark is None:
                self.known.pop(folder_id, None)
            elif folder_id in counts:
                self.known[folder_id] = Seen(mark.name, mark.special_use, *counts[folder_id][1:])
            else:
                self.known[folder_id] = Seen(*mark[1:])
            self.pins[("folder", folder_id)] = snapshot.taken
        if subscriptions is not None and snapshot.subscribed is not None:
            for name in self.subscribed ^ snapshot.subscribed:
                if subscriptions(name):
                    self.subscribed = self.subscribed ^ {name}
                    self.pins[("sub", name)] = snapshot.taken

    async def after_command(self, session, name: str, targets, selected_before):
        """What a command did that the client knows of already: its own changes, and the
        folder it stopped selecting (whose events were SELECTED's)."""
        selected_now = session.folder.pk if session.folder is not None else None
        last = session.uids[-1] if session.uids else 0
        if selected_now != selected_before:
            self.fetched_upto = last  # the messages there were counted by SELECT's EXISTS
        names, subscriptions, into = targets or (None, None, None)
        if into is not None and session.folder is not None and into == session.folder.name:
            self.fetched_upto = last  # §5.2: no MessageNew FETCH for its own APPEND/COPY
        left = selected_before if selected_before != selected_now else None
        if self.spec.watches_others and (targets is not None or left is not None):
            await self.absorb(session, names, subscriptions, (left,))

    async def overflow(self, session):
        """§5.8: say NOTIFICATIONOVERFLOW and behave as after NOTIFY NONE."""
        await session.untagged("OK [NOTIFICATIONOVERFLOW] Too many changes to report; "
                               "notifications are off until the next NOTIFY")
        install(session, Spec())


def status_items(session, wanted, whole: bool) -> list[str]:
    """The STATUS items for these events (§3.1, §5.1-5.3): MESSAGES and UIDNEXT for new
    and expunged mail, UIDVALIDITY and HIGHESTMODSEQ for flag changes (the server has
    CONDSTORE), HIGHESTMODSEQ also whenever the client enabled CONDSTORE; UNSEEN always,
    so a client can show its unread count. whole: a folder first told of, or with a new
    UIDVALIDITY, gets all of them (as Dovecot sends)."""
    if not wanted:
        return []
    items = []
    if whole or wanted & {MESSAGE_NEW, MESSAGE_EXPUNGE}:
        items += ["MESSAGES", "UIDNEXT"]
    if whole or FLAG_CHANGE in wanted:
        items.append("UIDVALIDITY")
    items.append("UNSEEN")
    if FLAG_CHANGE in wanted or "CONDSTORE" in session.enabled:
        items.append("HIGHESTMODSEQ")
    return items


def install(session, spec: Spec, snapshot=None):
    """Make spec the session's NOTIFY, replacing the one before (§3.1)."""
    if session.notify is not None:
        session.notify.stop()
    session.notify = Notifier(session, spec, snapshot)
