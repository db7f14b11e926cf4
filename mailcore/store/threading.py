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
    return [found if found.isprintable() and " " not in found else "".join(found.split())
            for found in _MSG_ID.findall(value) if "@" in found]


def is_reply_or_forward(subject: str) -> bool:
    """Whether extracting the base subject (RFC 5256 §2.1) removes a "Re:"/"Fwd:" leader,
    a "(fwd)" trailer or a "[fwd: ...]" wrapper: REFERENCES step (5)'s reply or forward."""
    text = " ".join(subject.split()).rstrip(" ")  # (1), and (2)'s trailing space
    if text[-5:].lower() == "(fwd)":  # (2): a "(fwd)" trailer
        return True
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
            value = base_subject(subject)
            value = known[subject] = value.lower() if value.isascii() else unicodedata.normalize(
                "NFKD", value).casefold()
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
    return _Tree(rows, _links(rows), base_subject).threads()


def _makes_loop(parent: list[int], has_children: list[int], up: int, child: int) -> bool:
    """Whether child is `up` or one of its ancestors: the link would close a loop."""
    if up == child:
        return True
    if not has_children[child]:  # nothing hangs below child, so `up` does not
        return False
    while up != -1:
        if up == child:
            return True
        up = parent[up]
    return False


def _links(rows: list[ThreadRow]) -> list[int]:
    """REFERENCES step (1): every node's parent (-1: none). Node n < len(rows) is the
    message rows[n]; the nodes after them are dummies, one per id no message here has.

    An id belongs to the first message in mailbox order that has it: linking in that
    order, a dummy made for a reference before its message comes is that message's node.
    """
    count = len(rows)
    mailbox_order = sorted(range(count), key=lambda row: rows[row].uid)
    table: dict[str, int] = {}  # (1)(A)'s id table
    for row in mailbox_order:
        if rows[row].message_id:
            own = message_ids(rows[row].message_id)
            # No valid Message-ID, or a message here has it already: a unique id of its own.
            if own and own[0] not in table:
                table[own[0]] = row
    parent = [-1] * count
    has_children = [0] * count  # how many nodes name this one their parent
    for row in mailbox_order:
        message = rows[row]
        # (1)(A): References, else the first valid id of In-Reply-To.
        references = message_ids(message.references) if message.references else ()
        if not references and message.in_reply_to:
            references = message_ids(message.in_reply_to)[:1]
        last = -1
        for msgid in references:
            reference = table.get(msgid)
            if reference is None:  # a dummy, kept for every later reference to the id
                reference = table[msgid] = len(parent)
                parent.append(-1)
                has_children.append(0)
            # Each id the parent of the next; an existing parent is kept; no loops.
            if last != -1 and parent[reference] == -1 and not _makes_loop(parent, has_children, last, reference):
                parent[reference] = last
                has_children[last] += 1
            last = reference
        # (1)(B): the last reference is this message's parent; a different parent (from a
        # truncated References elsewhere) is broken, and with no reference, so is any.
        current = parent[row]
        if current not in (-1, last):
            has_children[current] -= 1
            parent[row] = -1
        if last != -1 and parent[row] == -1 and not _makes_loop(parent, has_children, last, row):
            parent[row] = last
            has_children[last] += 1
    return parent


class _Tree:
    """REFERENCES steps (2)-(6) over the links: roots, dummies pruned, subjects merged,
    siblings sorted by sent date (a message node's number, as rows come in sent order)."""

    def __init__(self, rows: list[ThreadRow], parent: list[int], base_subject: Callable[[str], str]):
        self.rows, self.parent, self.subject_key = rows, parent, _subject_key(base_subject)
        self.count = len(rows)  # nodes from here on are dummies
        self.children: dict[int, list[int]] = {}
        self.roots: list[int] = []

    def threads(self) -> list[Thread]:
        self.prune()
        self.roots.sort(key=self.sort_key)  # (4)
        self.merge_subjects()  # (5)
        for children in self.children.values():  # (6): every set of siblings by sent date
            children.sort()
        self.roots.sort(key=self.sort_key)
        return self.build()

    def sort_key(self, node: int) -> int:
        """A message's node number; a dummy's is its earliest child's (children sorted)."""
        return node if node < self.count else self.children[node][0]

    def prune(self) -> None:
        """(2) and (3): a message hangs under its nearest ancestor that is a message; one
        with none hangs under its top-most dummy, which stays only above two or more."""
        parent, count = self.parent, self.count
        anchor: dict[int, int] = {}  # dummy -> nearest message above it, else the top dummy

        def anchor_of(node: int) -> int:
            path = []
            while node >= count and parent[node] != -1 and node not in anchor:
                path.append(node)
                node = parent[node]
            found = anchor.get(node, node)
            for passed in path:
                anchor[passed] = found
            return found

        for node in range(count):
            up = parent[node]
            if up == -1:
                self.roots.append(node)
            else:
                self.children.setdefault(up if up < count else anchor_of(up), []).append(node)
        for dummy in range(count, len(parent)):
            below = self.children.get(dummy)
            if parent[dummy] != -1 or not below:
                continue
            if len(below) == 1:  # one thread: no dummy above it
                self.roots.append(below[0])
                del self.children[dummy]
            else:
                below.sort()
                self.roots.append(dummy)

    def merge_subjects(self) -> None:
        """(5): top-level threads with the same base subject (that of the top message, or
        of a dummy's first child) are gathered: (B) one message per subject in a table,
        preferring a dummy, then a message that is not a reply or forward; (C) merged."""
        count, rows = self.count, self.rows
        thread_subject: dict[int, str] = {}
        replies: dict[int, bool] = {}

        def is_reply(root: int) -> bool:  # asked only where two threads share a subject
            if root not in replies:
                replies[root] = is_reply_or_forward(rows[self.sort_key(root)].subject)
            return replies[root]

        table: dict[str, int] = {}
        for root in self.roots:
            base = self.subject_key(rows[self.sort_key(root)].subject)
            if not base:  # (B)(ii): no subject, no merging
                continue
            thread_subject[root] = base
            held = table.get(base)
            if held is None or (held < count and (root >= count or (is_reply(held) and not is_reply(root)))):
                table[base] = root
        merged: set[int] = set()
        for root in self.roots:
            if root not in thread_subject or root in merged:
                continue
            base = thread_subject[root]
            held = table[base]
            if held == root:
                continue
            merged.add(root)
            if root >= count:  # then held is a dummy too: the children become siblings
                self.children[held].extend(self.children.pop(root))
            elif held >= count or (is_reply(root) and not is_reply(held)):
                self.children.setdefault(held, []).append(root)
            else:  # a new dummy above both, and in the table
                dummy = len(self.parent)
                self.parent.append(-1)
                self.children[dummy] = sorted((held, root))
                merged.add(held)
                table[base] = dummy
                self.roots.append(dummy)  # after the others: this loop leaves it alone
        self.roots = [root for root in self.roots if root not in merged]

    def build(self) -> list[Thread]:
        """The Thread trees, made node by node, then linked (no recursion: threads can be
        thousands of replies deep)."""
        rows, count = self.rows, self.count
        made = {node: Thread(rows[node].uid if node < count else None) for node in self.roots}
        below = [node for children in self.children.values() for node in children]
        made.update(zip(below, [Thread(rows[node].uid, []) for node in below], strict=True))
        for node, children in self.children.items():
            made[node].children = [made[child] for child in children]
        return [made[root] for root in self.roots]
