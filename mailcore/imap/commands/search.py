"""SEARCH and UID SEARCH. State: selected. RFC 9051 §6.4.4, RFC 3501 §6.4.4.

Search keys become one Django query over the folder's messages: flags, sizes and dates
are columns; text keys (TEXT, BODY, SUBJECT, FROM, TO, CC) go through the store's
full-text index (accent- and case-insensitive word prefixes, as the webmail's search),
so OR and NOT compose with them like with any other key.
"""
from datetime import datetime, timedelta

from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from mailcore.store.models import Message
from mailcore.store.search import SearchQuery, filter_messages

from ..errors import ImapBad, ImapNo
from ..parser import MAX_NESTING, Cursor
from ..server import SELECTED, command
from .sequence import resolve

CHARSETS = ("UTF-8", "US-ASCII")
FLAG_KEYS = {
    "ANSWERED": Q(answered=True), "UNANSWERED": Q(answered=False), "DELETED": Q(deleted=True),
    "UNDELETED": Q(deleted=False), "DRAFT": Q(draft=True), "UNDRAFT": Q(draft=False), "FLAGGED": Q(flagged=True),
    "UNFLAGGED": Q(flagged=False), "SEEN": Q(seen=True), "UNSEEN": Q(seen=False),
    "ALL": Q(),
}
RECENT_KEYS = ("RECENT", "NEW", "OLD")  # \Recent is the session's, not a column: recent_key
TEXT_FIELDS = {"TEXT": "text", "BODY": "body", "SUBJECT": "subject", "FROM": "sender"}
# RFC 9051 §6.4.4: address keys match a substring of that ENVELOPE field; the stored
# envelope is a JSON list (index 2 From, 5 To, 6 Cc, 7 Bcc).
ENVELOPE_INDEX = {"FROM": 2, "TO": 5, "CC": 6, "BCC": 7}
HEADER_COLUMNS = {"subject": "subject", "message-id": "message_id", "in-reply-to": "in_reply_to",
                  "references": "references", "from": "from_address", "to": "to_addresses"}


def recent_key(session, name: str) -> Q:
    """RFC 3501 §6.4.4: RECENT, NEW (recent and unseen) and OLD (not recent), with \\Recent
    as this session holds it (imap/recent.py): ranges of UIDs."""
    recent = Q(pk__in=[])
    for first, upto in session.recent.ranges:
        recent |= Q(uid__gte=first, uid__lt=upto)
    return {"RECENT": recent, "NEW": recent & Q(seen=False), "OLD": ~recent}[name]


class _Builder:
    def __init__(self, session, cursor: Cursor, base):
        self.session, self.cursor, self.base = session, cursor, base
        self.uses_modseq = False

    def keys(self) -> Q:
        """One or more keys separated by spaces, ANDed."""
        query = self.key(0)
        while self.cursor.take(b" "):
            query &= self.key(0)
        return query

    def key(self, depth: int) -> Q:
        if depth > MAX_NESTING:
            raise ImapBad("Search keys nested too deeply")
        cursor = self.cursor
        if cursor.take(b"("):
            query = self.key(depth + 1)
            while cursor.take(b" "):
                query &= self.key(depth + 1)
            cursor.expect(b")", "')'")
            return query
        if cursor.peek() is not None and (chr(cursor.peek()).isdigit() or cursor.peek() in b"*$"):
            return Q(uid__in=resolve(self.session, cursor.sequence_set(), by_uid=False))
        name = cursor.atom("a search key").upper()
        if name in FLAG_KEYS:
            return FLAG_KEYS[name]
        if name in RECENT_KEYS:
            return recent_key(self.session, name)
        if name == "NOT":
            cursor.sp()
            return ~self.key(depth + 1)
        if name == "OR":
            cursor.sp()
            left = self.key(depth + 1)
            cursor.sp()
            return left | self.key(depth + 1)
        cursor.sp()
        return self.argument_key(name)

    def argument_key(self, name: str) -> Q:
        cursor = self.cursor
        if name in TEXT_FIELDS or name in ENVELOPE_INDEX:
            value = cursor.astring()
            query = self.text(TEXT_FIELDS[name], value) if name in TEXT_FIELDS else Q(pk__in=[])
            if name in ENVELOPE_INDEX and value:
                # Also the raw field: addresses as written, and names before decoding.
                query |= Q(**{f"envelope__{ENVELOPE_INDEX[name]}__icontains": value.decode("utf-8", "replace")})
            if name == "TO" and value:
                query |= Q(to_addresses__icontains=value.decode("utf-8", "replace"))
            return query
        if name in ("KEYWORD", "UNKEYWORD"):
            # Keywords are a JSON list; its text holds each one in quotes, on every engine.
            has = Q(keywords_text__icontains=f'"{cursor.flag()}"')
            return has if name == "KEYWORD" else ~has
        if name in ("LARGER", "SMALLER"):
            size = cursor.number()
            return Q(size__gt=size) if name == "LARGER" else Q(size__lt=size)
        if name == "UID":
            return Q(uid__in=resolve(self.session, cursor.sequence_set(), by_uid=True))
        if name == "MODSEQ":  # RFC 7162 §3.1.5 (the optional entry name and type are not used)
            if cursor.peek() == 0x22:
                cursor.quoted()
                cursor.sp()
                cursor.atom("an entry type")
                cursor.sp()
            self.uses_modseq = True
            return Q(modseq__gte=cursor.number())
        if name in ("BEFORE", "ON", "SINCE", "SENTBEFORE", "SENTON", "SENTSINCE"):
            return self.date(name, cursor.date())
        if name == "HEADER":
            field = cursor.astring().decode("ascii", "replace").lower()
            cursor.sp()
            value = cursor.astring().decode("utf-8", "replace")
            column = HEADER_COLUMNS.get(field)
            if column is None:
                raise ImapNo(f"Searching the {field} header is not supported", code="CANNOT")
            return Q(**{f"{column}__icontains": value}) if value else ~Q(**{column: ""})
        raise ImapBad(f"Unknown search key {name}")

    def text(self, field: str, value: bytes) -> Q:
        words = value.decode("utf-8", "replace")
        query = SearchQuery(**{field: [words]})
        if query.is_empty():
            return Q()  # RFC 9051 §6.4.4: an empty string matches every message
        return Q(pk__in=filter_messages(self.base, self.session.account.pk, query).values("pk"))

    def date(self, name: str, day: datetime) -> Q:
        start = timezone.make_aware(day, timezone.get_default_timezone())
        end = start + timedelta(days=1)
        column = "date" if name.startswith("SENT") else "internal_date"
        kind = name.removeprefix("SENT")
        if kind == "BEFORE":
            return Q(**{f"{column}__lt": start})
        if kind == "ON":
            return Q(**{f"{column}__gte": start, f"{column}__lt": end})
        return Q(**{f"{column}__gte": start})


def matching(session, cursor: Cursor):
    """Blocking: (the selected folder's messages matching the search keys at cursor, whether
    MODSEQ was among them); the keys must end the command. SORT (sort.py) shares this."""
    base = Message.objects.filter(folder_id=session.folder.pk)
    builder = _Builder(session, cursor, base)
    query = builder.keys()
    cursor.end()
    return base.annotate(keywords_text=Cast("keywords", TextField())).filter(query), builder.uses_modseq


def read_charset(cursor: Cursor) -> None:
    """A charset name and the space after it (SEARCH's after "CHARSET ", SORT's always):
    UTF-8 or US-ASCII, else NO [BADCHARSET] (RFC 9051 §6.4.4)."""
    name = cursor.astring().decode("ascii", "replace").upper()
    if name not in CHARSETS:
        raise ImapNo("Unsupported charset", code=f"BADCHARSET ({' '.join(CHARSETS)})")
    cursor.sp()


def _search(session, cursor: Cursor, by_uid: bool) -> tuple[list[int], int | None]:
    """Blocking: the matching UIDs, and their highest MODSEQ when the search used MODSEQ."""
    matches, uses_modseq = matching(session, cursor)
    rows = list(matches.order_by("uid").values_list("uid", "modseq"))
    highest = max((modseq for _uid, modseq in rows), default=None) if uses_modseq else None
    return [uid for uid, _modseq in rows], highest


async def _search_command(session, tag: str, cursor: Cursor, by_uid: bool):
    cursor.sp()
    if cursor.take(b"CHARSET "):
        read_charset(cursor)
    uids, highest_modseq = await session.host.run_blocking(_search, session, cursor, by_uid)
    positions = [session.position(uid) for uid in uids]
    if by_uid:
        numbers = [uid for uid, position in zip(uids, positions, strict=True) if position is not None]
    else:
        numbers = [position for position in positions if position is not None]
    # RFC 7162 §3.1.5: a search with MODSEQ reports the highest MODSEQ of what it found.
    modseq = f" (MODSEQ {highest_modseq})" if highest_modseq is not None and numbers else ""
    await session.untagged("SEARCH" + "".join(f" {n}" for n in numbers) + modseq)
    await session.ok(tag, f"{'UID ' if by_uid else ''}SEARCH completed")


@command("SEARCH", {SELECTED})
async def cmd_search(session, tag: str, cursor: Cursor):
    """Find messages; answers sequence numbers. State: selected. RFC 9051 §6.4.4."""
    await _search_command(session, tag, cursor, by_uid=False)


@command("UID SEARCH", {SELECTED})
async def cmd_uid_search(session, tag: str, cursor: Cursor):
    """Find messages; answers UIDs. State: selected. RFC 9051 §6.4.9."""
    await _search_command(session, tag, cursor, by_uid=True)
