"""SORT and UID SORT. State: selected. RFC 5256 §3 (the SORT extension).

    tag SORT (REVERSE DATE SUBJECT) UTF-8 SINCE 1-Nov-2026   →   * SORT 5 3 4

The search keys are SEARCH's (search.matching). Arrival, date and size orders are the
database's (ORDER BY ..., uid); with a subject or address criterion the matches are
ordered here by keys read from the stored summary columns, each criterion a stable sort
from the last to the first over the UID order, so ties stay in mailbox order as §3
asks. Strings compare case-folded after NFKD (close to RFC 5051's i;unicode-casemap).
"""
import re
import unicodedata

from django.db.models import F, Window
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce, Rank

from ..errors import ImapBad
from ..parser import Cursor
from ..server import SELECTED, command
from .search import matching, read_charset

# Criterion → the columns its key is read from.
CRITERIA = {"ARRIVAL": (), "DATE": (), "SIZE": (), "SUBJECT": ("subject",), "FROM": ("from_address",),
            "TO": (), "CC": ()}  # the others are annotated in _sort
ENVELOPE_INDEX = {"TO": 5, "CC": 6}  # RFC 9051 §7.5.2 ENVELOPE order
# Criteria the database can order by itself (uid last: ties in mailbox order, even reversed).
SQL_ORDER = {"ARRIVAL": F("internal_date"), "DATE": Coalesce("date", "internal_date"), "SIZE": F("size")}
MAX_CRITERIA = 16

# RFC 5256 §5: subj-trailer, subj-leader (subj-refwd with its blobs, or a space), subj-blob.
_BLOB = r"\[[^\[\]]*\][ \t]*"
_TRAILER = re.compile(r"(?:[ \t]|\(fwd\))+$", re.IGNORECASE)
_LEADER = re.compile(rf"(?:(?:{_BLOB})*(?:re|fwd?)[ \t]*(?:{_BLOB})?:|[ \t]+)", re.IGNORECASE)
_LEADING_BLOB = re.compile(_BLOB)


def base_subject(subject: str) -> str:
    """The base subject of RFC 5256 §2.1: no "Re:", "Fwd:", "[list]" prefixes or "(fwd)"."""
    text = " ".join(subject.split())  # (1) whitespace runs to one space
    while True:
        text = _TRAILER.sub("", text)  # (2)
        while True:  # (3)–(5)
            leader = _LEADER.match(text)
            if leader:
                text = text[leader.end():]
                continue
            blob = _LEADING_BLOB.match(text)
            if blob and text[blob.end():]:
                text = text[blob.end():]
                continue
            break
        if text[:5].lower() == "[fwd:" and text.endswith("]"):  # (6)
            text = text[5:-1]
            continue
        return text


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).casefold()


def _key(criterion: str):
    if criterion in SQL_ORDER:  # the database's rank of the row by that column (ties equal)
        return lambda row: row[f"{criterion}_rank"]
    if criterion == "SUBJECT":
        return lambda row: _fold(base_subject(row["subject"]))
    if criterion == "FROM":  # from_address is the first From address, as written
        return lambda row: _fold(row["from_address"].rpartition("@")[0])
    return lambda row: row[criterion]  # TO, CC: filled in by _first_mailboxes


def _first_mailboxes(rows: list[dict], criterion: str) -> None:
    """Set row[criterion] to the folded addr-mailbox of that list's first address, read by
    the database from the stored envelope (decoding 100,000 envelopes here took seconds).

    When the list starts with a group (RFC 5322 §3.4), its first address is the group's
    start entry, whose mailbox field holds the group name (RFC 3501 §7.4.2): the
    reference server (Dovecot) sorts by that name, and so does this. SQLite's ->> gives a
    JSON null as the text "null".
    """
    for row in rows:
        mailbox = row.pop(f"{criterion}_mailbox")
        row[criterion] = _fold(mailbox) if mailbox not in (None, "null") else ""


def read_criteria(cursor: Cursor) -> list[tuple[str, bool]]:
    """The parenthesized sort criteria: [(criterion, reversed)] (§3's sort-criterion list)."""
    cursor.expect(b"(", "'(' and sort criteria")
    criteria = []
    while True:
        reverse = False
        name = cursor.atom("a sort criterion").upper()
        if name == "REVERSE":
            reverse = True
            cursor.sp()
            name = cursor.atom("a sort criterion").upper()
        if name not in CRITERIA:
            raise ImapBad(f"Unknown sort criterion {name}")
        criteria.append((name, reverse))
        if len(criteria) > MAX_CRITERIA:
            raise ImapBad("Too many sort criteria")
        if cursor.take(b")"):
            return criteria
        cursor.sp()


def _sort(session, criteria: list[tuple[str, bool]], cursor: Cursor) -> list[int]:
    """Blocking: the UIDs of the matching messages in the order the criteria give."""
    matches, _uses_modseq = matching(session, cursor)
    if all(name in SQL_ORDER for name, _reverse in criteria):  # columns only: the database sorts
        order = [SQL_ORDER[name].desc() if reverse else SQL_ORDER[name].asc() for name, reverse in criteria]
        return list(matches.order_by(*order, "uid").values_list("uid", flat=True))
    # Here in Python; columns come as ranks, as converting 100,000 dates to datetime costs more
    # than sorting them.
    columns = {"uid"} | {column for name, _reverse in criteria for column in CRITERIA[name]}
    for name in {name for name, _reverse in criteria if name in SQL_ORDER}:
        matches = matches.annotate(**{f"{name}_rank": Window(Rank(), order_by=SQL_ORDER[name].asc())})
        columns.add(f"{name}_rank")
    addresses = {name for name, _reverse in criteria if name in ("TO", "CC")}
    for name in addresses:
        matches = matches.annotate(**{f"{name}_mailbox": KT(f"envelope__{ENVELOPE_INDEX[name]}__0__2")})
        columns.add(f"{name}_mailbox")
    rows = list(matches.order_by("uid").values(*columns))
    for name in addresses:
        _first_mailboxes(rows, name)
    for name, reverse in reversed(criteria):  # stable: earlier criteria decide, ties keep UID order
        rows.sort(key=_key(name), reverse=reverse)
    return [row["uid"] for row in rows]


async def _sort_command(session, tag: str, cursor: Cursor, by_uid: bool):
    cursor.sp()
    criteria = read_criteria(cursor)
    cursor.sp()
    read_charset(cursor)
    uids = await session.host.run_blocking(_sort, session, criteria, cursor)
    if by_uid:
        numbers = [uid for uid in uids if session.position(uid) is not None]
    else:
        numbers = [position for position in map(session.position, uids) if position is not None]
    await session.untagged("SORT" + "".join(f" {n}" for n in numbers))
    await session.ok(tag, f"{'UID ' if by_uid else ''}SORT completed")


@command("SORT", {SELECTED})
async def cmd_sort(session, tag: str, cursor: Cursor):
    """Search, then order; answers sequence numbers. State: selected. RFC 5256 §3."""
    await _sort_command(session, tag, cursor, by_uid=False)


@command("UID SORT", {SELECTED})
async def cmd_uid_sort(session, tag: str, cursor: Cursor):
    """Search, then order; answers UIDs. State: selected. RFC 5256 §3."""
    await _sort_command(session, tag, cursor, by_uid=True)
