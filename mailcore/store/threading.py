"""Threads of a set of messages: RFC 5256 §4, ORDEREDSUBJECT and REFERENCES.

IMAP THREAD (mailcore/imap/commands/thread.py) calls these; the webmail may too. One
read, thread_rows(), takes the summary columns made at append (Message-ID, In-Reply-To,
References, Subject; mime.summary) in sent-date order; the algorithms are plain
functions over those rows and answer a list of Thread trees.

The base subject of RFC 5256 §2.1 is passed in by the caller (base_subject): it lives
with SORT in mailcore/imap/commands/sort.py for now, and the store must not import IMAP.

Where the RFC leaves a choice, this follows Dovecot, the reference imaptest compares
with: messages are linked in mailbox (UID) order; a message whose Message-ID another
message here already has gets an id of its own; when References holds no valid id, the
first valid id of In-Reply-To is the only reference; ids compare case-sensitively.
"""
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models.functions import Coalesce

_MSG_ID = re.compile(r"<([^<>]*)>")
# RFC 5256 §2.1 markers of a reply or forward (its subj-refwd leader, the "(fwd)"
# trailer, the "[fwd: ...]" wrapper); whitespace is one space by then, as in step (1).
_BLOB = r"\[[^\[\]]*\] *"
_LEADING_BLOB = re.compile(_BLOB)
_REFWD = re.compile(rf"(?:{_BLOB})*(?:re|fwd?) *(?:{_BLOB})?:", re.IGNORECASE)
_TRAILERS = re.compile(r"(?: |\(fwd\))+$", re.IGNORECASE)


class ThreadRow(NamedTuple):
    uid: int
    message_id: str
    in_reply_to: str
    references: str
    subject: str


@dataclass(slots=True)
class Thread:
    """A message and its replies. uid None: a dummy standing for a message that is not in
    the set (REFERENCES keeps one only at the top, above two or more threads)."""

    uid: int | None
    children: list["Thread"] = field(default_factory=list)


def thread_rows(matches) -> list[ThreadRow]:
    """Blocking: what threading reads of the messages of `matches` (a Message queryset,
    e.g. SEARCH's), ordered by sent date, then UID: RFC 5256 §2.2's order, the Date
    field or the arrival when it is missing or unreadable, ties in mailbox order. A
    row's place in the list is therefore its sort key."""
    ordered = matches.order_by(Coalesce("date", "internal_date"), "uid")
    return list(map(ThreadRow._make, ordered.values_list("uid", "message_id", "in_reply_to", "references",
                                                          "subject")))


def message_ids(value: str) -> list[str]:
    """The valid message ids of a Message-ID, In-Reply-To or References field: what lies
    between "<" and ">", with an "@", whitespace removed (RFC 5322 §3.6.4 msg-id)."""
    return ["".join(found.split()) for found in _MSG_ID.findall(value) if "@" in found]


def is_reply_or_forward(subject: str) -> bool:
    """Whether extracting the base subject (RFC 5256 §2.1) removes a "Re:"/"Fwd:" leader,
    a "(fwd)" trailer or a "[fwd: ...]" wrapper: REFERENCES step (5)'s reply or forward."""
    text = " ".join(subject.split())  # (1)
    trailers = _TRAILERS.search(text)  # (2)
    if trailers:
        if "(" in trailers.group():
            return True
        text = text[:trailers.start()]
    while True:  # (3)-(5): a leader, else a blob that leaves something behind
        text = text.lstrip(" ")
        if _REFWD.match(text):
            return True
        blob = _LEADING_BLOB.match(text)
        if not blob or not text[blob.end():]:
            break
        text = text[blob.end():]
    return text[:5].lower() == "[fwd:" and text.endswith("]")  # (6)


def _subject_key(base_subject: Callable[[str], str]) -> Callable[[str], str]:
    """The base subject, case-folded after NFKD (near i;unicode-casemap, as SORT compares),
    remembered per subject: a folder repeats its subjects ("Re: ...")."""
    known: dict[str, str] = {}

    def key(subject: str) -> str:
        value = known.get(subject)
        if value is None:
            value = known[subject] = unicodedata.normalize("NFKD", base_subject(subject)).casefold()
        return value

    return key


def ordered_subject_threads(rows: list[ThreadRow], base_subject: Callable[[str], str]) -> list[Thread]:
    """RFC 5256 §4 ORDEREDSUBJECT: messages grouped by base subject, each group in sent
    order; its first message is the thread's top and the others are its children, and
    threads go by their first message's sent date. `rows` come in sent order."""
    key = _subject_key(base_subject)
    groups: dict[str, list[int]] = {}
    for row in rows:  # a group is created at its first message, so groups are in thread order
        groups.setdefault(key(row.subject), []).append(row.uid)
    return [Thread(first, [Thread(uid) for uid in rest]) for first, *rest in groups.values()]


def references_threads(rows: list[ThreadRow], base_subject: Callable[[str], str]) -> list[Thread]:
    """RFC 5256 §4 REFERENCES over `rows` (in sent order, as thread_rows gives them)."""
    links = _Links(rows)
    return _Tree(rows, links, base_subject).threads()


class _Links:
    """REFERENCES step (1): the id table and parent links. Nodes are numbers; a node
    stands for a message (row_of[node] is its row) or is a dummy (-1) for an id that no
    message in the set has (yet)."""

    def __init__(self, rows: list[ThreadRow]):
        self.parent: list[int] = []
        self.child_links: list[int] = []  # how many nodes name this one their parent
        self.row_of: list[int] = []
        self.table: dict[str, int] = {}
        for row in sorted(range(len(rows)), key=lambda index: rows[index].uid):  # mailbox order
            self.add(row, rows[row])

    def node(self, row: int = -1) -> int:
        self.parent.append(-1)
        self.child_links.append(0)
        self.row_of.append(row)
        return len(self.parent) - 1

    def node_for(self, msgid: str) -> int:
        """(1)(A): the message with this id, else a dummy kept for every later reference."""
        node = self.table.get(msgid)
        if node is None:
            node = self.table[msgid] = self.node()
        return node

    def makes_loop(self, parent: int, child: int) -> bool:
        """Whether child is parent or one of its ancestors: the link would close a loop."""
        if parent == child:
            return True
        if not self.child_links[child]:  # nothing below child, so parent is not below it
            return False
        while parent != -1:
            if parent == child:
                return True
            parent = self.parent[parent]
        return False

    def link(self, parent: int, child: int) -> None:
        self.parent[child] = parent
        self.child_links[parent] += 1

    def add(self, row: int, message: ThreadRow) -> None:
        own = message_ids(message.message_id)[:1]
        node = self.table.get(own[0]) if own else None
        if node is not None and self.row_of[node] == -1:
            self.row_of[node] = row  # the message a dummy stood for
        else:
            # No valid Message-ID, or another message here has it: a unique id (1)(A).
            node = self.node(row)
            if own and own[0] not in self.table:
                self.table[own[0]] = node
        # (1)(A): References, else the first valid id of In-Reply-To.
        references = message_ids(message.references) or message_ids(message.in_reply_to)[:1]
        last = -1
        for msgid in references:
            reference = self.node_for(msgid)
            # Each id the parent of the next; an existing parent is kept; no loops.
            if last != -1 and self.parent[reference] == -1 and not self.makes_loop(last, reference):
                self.link(last, reference)
            last = reference
        # (1)(B): the last reference is this message's parent; a different parent (from a
        # truncated References elsewhere) is broken, and with no reference, so is any.
        current = self.parent[node]
        if current not in (-1, last):
            self.child_links[current] -= 1
            self.parent[node] = -1
        if last != -1 and self.parent[node] == -1 and not self.makes_loop(last, node):
            self.link(last, node)


class _Tree:
    """REFERENCES steps (2)-(6) over the links: roots, dummies pruned, subjects merged,
    siblings sorted by sent date (a row's number, as rows come in sent order)."""

    def __init__(self, rows: list[ThreadRow], links: _Links, base_subject: Callable[[str], str]):
        self.rows, self.links, self.subject_key = rows, links, _subject_key(base_subject)
        self.children: dict[int, list[int]] = {}
        self.roots: list[int] = []

    def threads(self) -> list[Thread]:
        self.prune()
        self.roots.sort(key=self.sort_key)  # (4)
        self.merge_subjects()  # (5)
        for children in self.children.values():  # (6): every set of siblings by sent date
            children.sort(key=self.sort_key)
        self.roots.sort(key=self.sort_key)
        return [self.build(root) for root in self.roots]

    def is_dummy(self, node: int) -> bool:
        return self.links.row_of[node] == -1

    def sort_key(self, node: int) -> int:
        """A message's row number; a dummy's is its earliest child's (children sorted)."""
        row = self.links.row_of[node]
        return row if row != -1 else self.links.row_of[self.children[node][0]]

    def prune(self) -> None:
        """(2) and (3): a message hangs under its nearest ancestor that is a message; one
        with none hangs under its top-most dummy, which stays only above two or more."""
        parent, row_of = self.links.parent, self.links.row_of
        anchor: dict[int, int] = {}  # dummy -> nearest message above it, else the top dummy

        def anchor_of(node: int) -> int:
            path = []
            while row_of[node] == -1 and parent[node] != -1 and node not in anchor:
                path.append(node)
                node = parent[node]
            found = anchor.get(node, node)
            for passed in path:
                anchor[passed] = found
            return found

        dummies = []
        for node, up in enumerate(parent):
            if row_of[node] == -1:
                if up == -1:
                    dummies.append(node)
            elif up == -1:
                self.roots.append(node)
            else:
                self.children.setdefault(up if row_of[up] != -1 else anchor_of(up), []).append(node)
        for dummy in dummies:
            below = self.children.get(dummy, [])
            if len(below) == 1:  # one thread: no dummy above it
                self.roots.append(below[0])
                del self.children[dummy]
            elif below:
                below.sort(key=self.sort_key)
                self.roots.append(dummy)

    def merge_subjects(self) -> None:
        """(5): top-level threads with the same base subject (that of the top message, or
        of a dummy's first child) are gathered: (B) one message per subject in a table,
        preferring a dummy, then a message that is not a reply or forward; (C) merged."""
        thread_subject: dict[int, tuple[str, bool]] = {}
        table: dict[str, int] = {}
        for root in self.roots:
            row = self.rows[self.sort_key(root)]
            base = self.subject_key(row.subject)
            if not base:  # (B)(ii): no subject, no merging
                continue
            reply = is_reply_or_forward(row.subject)
            thread_subject[root] = (base, reply)
            held = table.get(base)
            if held is None or (not self.is_dummy(held) and (self.is_dummy(root) or
                                                            (thread_subject[held][1] and not reply))):
                table[base] = root
        merged: set[int] = set()
        for root in self.roots:
            if root not in thread_subject or root in merged:
                continue
            base, reply = thread_subject[root]
            held = table[base]
            if held == root:
                continue
            merged.add(root)
            if self.is_dummy(root):  # then held is a dummy too: the children become siblings
                self.children[held].extend(self.children.pop(root))
            elif self.is_dummy(held) or (reply and not thread_subject[held][1]):
                self.children.setdefault(held, []).append(root)
            else:  # a new dummy above both, and in the table
                dummy = self.links.node()
                self.children[dummy] = sorted((held, root), key=self.sort_key)
                merged.add(held)
                table[base] = dummy
                self.roots.append(dummy)  # after the others: this loop leaves it alone
        self.roots = [root for root in self.roots if root not in merged]

    def build(self, top: int) -> Thread:
        """The Thread tree under a node, built without recursion (threads can be deep)."""
        row_of, rows = self.links.row_of, self.rows
        made = Thread(None if row_of[top] == -1 else rows[row_of[top]].uid)
        pending = [(top, made)]
        while pending:
            node, thread = pending.pop()
            for child in self.children.get(node, ()):
                below = Thread(rows[row_of[child]].uid)
                thread.children.append(below)
                pending.append((child, below))
        return made
