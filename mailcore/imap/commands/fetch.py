"""FETCH and UID FETCH. State: selected. RFC 9051 §6.4.5, §7.5.2; RFC 3501 §6.4.5.

Message data comes from the stored summary (flags, dates, ENVELOPE, MIME tree) and,
for body sections, from byte ranges of the blob: nothing is parsed again.
"""
from dataclasses import dataclass

from mailcore.mime.transfer import UnknownEncoding
from mailcore.store.fetch import FLAG_COLUMNS, fetch_binary, fetch_rows, fetch_section
from mailcore.store.messages import store_flags
from mailcore.store.vanished import changed_since as changes_since
from mailcore.store.vanished import expunged_since

from ..errors import ImapBad, ImapNo
from ..parser import Cursor
from ..recent import with_recent
from ..responses import compact_set, paren
from ..searchcontext import recheck_touched
from ..server import SELECTED, command
from ..structure import body_structure, envelope
from .condstore import enable_condstore
from .esearch import partial_slice, read_partial_range
from .sequence import known_uid_ranges, resolve
from .updates import announce_keywords

MACROS = {
    "ALL": ["FLAGS", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE"],
    "FAST": ["FLAGS", "INTERNALDATE", "RFC822.SIZE"],
    "FULL": ["FLAGS", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE", "BODY"],
}
SIMPLE = {"ENVELOPE", "FLAGS", "INTERNALDATE", "RFC822", "RFC822.HEADER", "RFC822.SIZE", "RFC822.TEXT",
          "BODY", "BODYSTRUCTURE", "UID", "MODSEQ"}


@dataclass(frozen=True)
class FetchAtt:
    name: str  # ENVELOPE, FLAGS, ..., or BODY[], BINARY[], BINARY.SIZE[] for a section
    section: str | None = None  # "", "HEADER", "1.2.MIME", "HEADER.FIELDS", ...
    fields: tuple = ()  # for HEADER.FIELDS (.NOT)
    partial: tuple | None = None  # (origin, length)
    peek: bool = False

    @property
    def sets_seen(self) -> bool:
        # RFC 3516 §4.2: BINARY sets \Seen as BODY does; BINARY.SIZE doesn't (§4.3)
        return ((self.section is not None and not self.peek and self.name != "BINARY.SIZE[]")
                or self.name in ("RFC822", "RFC822.TEXT"))

    def label(self) -> bytes:
        if self.section is None:
            return self.name.encode()
        spec = self.section
        if self.fields:
            spec += " (" + " ".join(self.fields) + ")"
        origin = f"<{self.partial[0]}>" if self.partial else ""
        return f"{self.name[:-2]}[{spec}]{origin}".encode()


def parse_atts(cursor: Cursor) -> list[FetchAtt]:
    if cursor.peek() == ord("("):
        return cursor.paren_list(lambda: _att(cursor, allow_macro=False))
    name = cursor.peek_text
    for macro, items in MACROS.items():
        if name(macro.encode()) and not _more_name(cursor, len(macro)):
            cursor.take(macro.encode())
            return [FetchAtt(item) for item in items]
    return [_att(cursor, allow_macro=True)]


def _more_name(cursor: Cursor, length: int) -> bool:
    piece = cursor._current()
    return isinstance(piece, bytes) and len(piece) > cursor.pos + length and chr(piece[cursor.pos + length]).isalnum()


def _att(cursor: Cursor, allow_macro: bool) -> FetchAtt:
    name = cursor._chars(lambda b: chr(b).isalnum() or b in b".").decode().upper()
    if name in ("BODY", "BODY.PEEK") and cursor.take(b"["):
        return _section(cursor, peek=name == "BODY.PEEK")
    if name in ("BINARY", "BINARY.PEEK", "BINARY.SIZE") and cursor.take(b"["):
        return _binary_section(cursor, name)
    if name in SIMPLE:
        return FetchAtt(name)
    raise ImapBad(f"Unknown FETCH item {name or cursor.where()}")


def _section(cursor: Cursor, peek: bool) -> FetchAtt:
    spec = cursor._chars(lambda b: chr(b).isalnum() or b in b".").decode().upper()
    fields: tuple = ()
    if spec.endswith("HEADER.FIELDS") or spec.endswith("HEADER.FIELDS.NOT"):
        cursor.sp()
        fields = tuple(name.decode("ascii", "replace").upper() for name in cursor.paren_list(cursor.astring))
        if not fields:
            raise ImapBad("HEADER.FIELDS needs at least one field name")
    if not _valid_section(spec):
        raise ImapBad(f"Invalid section {spec!r}")
    cursor.expect(b"]", "']'")
    return FetchAtt("BODY[]", spec, fields, _partial(cursor), peek)


def _partial(cursor: Cursor) -> tuple | None:
    if not cursor.take(b"<"):
        return None
    origin = cursor.number()
    cursor.expect(b".", "'.'")
    partial = (origin, cursor.number(nonzero=True))
    cursor.expect(b">", "'>'")
    return partial


def _binary_section(cursor: Cursor, name: str) -> FetchAtt:
    """RFC 3516 §9: section-binary = "[" [section-part] "]"; only BINARY(.PEEK) has a partial."""
    spec = cursor._chars(lambda b: chr(b).isalnum() or b in b".").decode().upper()
    if spec and not all(piece.isdigit() and int(piece) > 0 for piece in spec.split(".")):
        raise ImapBad(f"Invalid binary section {spec!r}: only part numbers")
    cursor.expect(b"]", "']'")
    if name == "BINARY.SIZE":
        return FetchAtt("BINARY.SIZE[]", spec)
    return FetchAtt("BINARY[]", spec, partial=_partial(cursor), peek=name == "BINARY.PEEK")


def _valid_section(spec: str) -> bool:
    if spec == "":
        return True
    pieces = spec.split(".")
    numbers = 0
    while numbers < len(pieces) and pieces[numbers].isdigit() and int(pieces[numbers]) > 0:
        numbers += 1
    text = ".".join(pieces[numbers:])
    if text == "":
        return numbers > 0
    allowed = {"HEADER", "TEXT", "HEADER.FIELDS", "HEADER.FIELDS.NOT"} | ({"MIME"} if numbers else set())
    return text in allowed


def filter_header(header: bytes, names: tuple, exclude: bool) -> bytes:
    """The header fields named (or all but those), and the blank line (RFC 9051 §6.4.5)."""
    wanted = {name.lower() for name in names}
    out, keep = [], False
    for line in header.split(b"\r\n"):
        if not line:
            continue
        if line[:1] in (b" ", b"\t"):
            if keep:
                out.append(line)
            continue
        name = line.split(b":", 1)[0].strip().decode("ascii", "replace").lower()
        keep = (name in wanted) != exclude
        if keep:
            out.append(line)
    return b"".join(part + b"\r\n" for part in out) + b"\r\n"


def _section_data(message, att: FetchAtt) -> bytes | None:
    spec = att.section
    if spec.endswith("HEADER.FIELDS") or spec.endswith("HEADER.FIELDS.NOT"):
        base = spec.rsplit(".FIELDS", 1)[0]
        header = fetch_section(message, base)
        data = None if header is None else filter_header(header, att.fields, spec.endswith(".NOT"))
    else:
        data = fetch_section(message, spec)
    if data is not None and att.partial:
        origin, length = att.partial
        data = data[origin:origin + length]
    return data


def _literal(data: bytes | None) -> bytes:
    if data is None:
        return b'""'  # RFC 9051 §6.4.5: a section that does not exist is empty
    return b"{%d}\r\n" % len(data) + data


def _binary_literal(data: bytes | None) -> bytes:
    if data is not None and b"\0" in data:
        return b"~{%d}\r\n" % len(data) + data  # RFC 3516 §4.2: NUL octets need a literal8
    return _literal(data)


def _binary_data(message, att: FetchAtt) -> bytes | None:
    try:
        data = fetch_binary(message, att.section)
    except UnknownEncoding:
        raise ImapNo("Unknown Content-Transfer-Encoding", code="UNKNOWN-CTE") from None  # RFC 3516 §4.3
    if data is not None and att.partial:
        origin, length = att.partial
        data = data[origin:origin + length]  # RFC 3516 §4.2: the range is of the decoded data
    return data


def _item(message, att: FetchAtt, recent) -> bytes:
    name = att.name
    if name == "UID":
        return b"UID %d" % message.uid
    if name == "FLAGS":
        return b"FLAGS (" + " ".join(with_recent(message.flags, message.uid in recent)).encode() + b")"
    if name == "INTERNALDATE":
        return b'INTERNALDATE "' + message.internal_date.strftime("%d-%b-%Y %H:%M:%S +0000").encode() + b'"'
    if name == "RFC822.SIZE":
        return b"RFC822.SIZE %d" % message.size
    if name == "MODSEQ":
        return b"MODSEQ (%d)" % message.modseq  # RFC 7162 §3.1.4.1
    if name == "ENVELOPE":
        return b"ENVELOPE " + envelope(message.envelope)
    if name == "BODYSTRUCTURE":
        return b"BODYSTRUCTURE " + body_structure(message.structure, extended=True)
    if name == "BODY":
        return b"BODY " + body_structure(message.structure, extended=False)
    if name in ("RFC822", "RFC822.HEADER", "RFC822.TEXT"):
        section = {"RFC822": "", "RFC822.HEADER": "HEADER", "RFC822.TEXT": "TEXT"}[name]
        return name.encode() + b" " + _literal(fetch_section(message, section))
    if name == "BINARY.SIZE[]":
        data = _binary_data(message, att)
        return att.label() + b" %d" % (0 if data is None else len(data))
    if name == "BINARY[]":
        return att.label() + b" " + _binary_literal(_binary_data(message, att))
    return att.label() + b" " + _literal(_section_data(message, att))


def fetch_lines(session_account_id: int, folder_id: int, uids: list[int], atts: list[FetchAtt], mark_seen: bool,
                changed_since: int | None = None, recent=()):
    """Blocking: the FETCH data of these UIDs, as (uid, bytes of the parenthesised list),
    and the keywords those lines show. `recent` holds the UIDs recent in the session."""
    if mark_seen and any(att.sets_seen for att in atts):
        store_flags(session_account_id, folder_id, uids, ["\\Seen"], mode="add")
        if not any(att.name == "FLAGS" for att in atts):
            atts = [*atts, FetchAtt("FLAGS")]  # RFC 9051 §6.4.5: report the \Seen it set
    needs_blob = any(att.section is not None or (att.name.startswith("RFC822") and att.name != "RFC822.SIZE")
                     for att in atts)
    out, keywords = [], set()
    shows_flags = any(att.name == "FLAGS" for att in atts)
    for message in fetch_rows(folder_id, uids, None if needs_blob else _columns(atts), changed_since):
        out.append((message.uid, paren([_item(message, att, recent) for att in atts])))
        if shows_flags:
            keywords.update(message.keywords)
    return out, keywords


# The columns each item reads: only those are fetched and converted (a date or a JSON
# column costs more to convert than the query costs to run).
_ITEM_COLUMNS = {
    "FLAGS": FLAG_COLUMNS, "INTERNALDATE": ("internal_date",), "RFC822.SIZE": ("size",),
    "MODSEQ": ("modseq",), "ENVELOPE": ("envelope",), "BODY": ("structure",), "BODYSTRUCTURE": ("structure",),
}


def _columns(atts) -> tuple:
    columns = ["uid"]
    for att in atts:
        for column in _ITEM_COLUMNS.get(att.name, ()):
            if column not in columns:
                columns.append(column)
    return tuple(columns)


async def _fetch(session, tag: str, cursor: Cursor, by_uid: bool):
    cursor.sp()
    ranges = cursor.sequence_set()
    cursor.sp()
    atts = parse_atts(cursor)
    changed_since, vanished, partial = None, False, None
    if cursor.take(b" ("):  # RFC 7162 §3.1.4.1, §3.2.6, RFC 9394 §3.3: FETCH modifiers, in any order
        while True:
            if cursor.take(b"CHANGEDSINCE "):
                changed_since = cursor.modseq()
            elif by_uid and cursor.take(b"VANISHED"):
                vanished = True
            elif by_uid and partial is None and cursor.take(b"PARTIAL "):
                partial = read_partial_range(cursor)
            else:
                raise ImapBad(f"Unknown FETCH modifier {cursor.where()}")
            if cursor.take(b")"):
                break
            cursor.sp()
    cursor.end()
    if vanished and (changed_since is None or "QRESYNC" not in session.enabled):
        # RFC 7162 §3.2.6: VANISHED needs CHANGEDSINCE and an enabled QRESYNC, else BAD.
        raise ImapBad("VANISHED needs CHANGEDSINCE and ENABLE QRESYNC")
    if by_uid and not any(att.name == "UID" for att in atts):
        atts = [FetchAtt("UID"), *atts]  # RFC 9051 §6.4.9: UID FETCH always returns UID
    if changed_since is not None or any(att.name == "MODSEQ" for att in atts):
        await enable_condstore(session)  # RFC 7162 §3.1: these enable CONDSTORE
        if not any(att.name == "MODSEQ" for att in atts):
            atts = [*atts, FetchAtt("MODSEQ")]
    uids = resolve(session, ranges, by_uid)
    if partial is not None:
        uids = await session.host.run_blocking(_page, session.folder.pk, uids, partial, changed_since)
    if vanished:
        # RFC 7162 §3.2.6: the UIDs of the set expunged since CHANGEDSINCE, before the FETCHes.
        gone = await session.host.run_blocking(expunged_since, session.folder.pk, changed_since,
                                               known_uid_ranges(session, ranges))
        gone = [uid for uid in gone if session.position(uid) is None]  # still in view: reported later
        if gone:
            await session.untagged(f"VANISHED (EARLIER) {compact_set(gone)}")
    lines, keywords = await session.host.run_blocking(fetch_lines, session.account.pk, session.folder.pk, uids,
                                                      atts, not session.readonly, changed_since, session.recent)
    await announce_keywords(session, keywords)
    for uid, data in lines:
        position = session.position(uid)
        if position is not None:
            await session.send(b"* %d FETCH " % position + data + b"\r\n")
    if not session.readonly and any(att.sets_seen for att in atts):
        await recheck_touched(session, uids)  # \Seen set: RFC 5267 §4.3 ADDTO, REMOVEFROM
    await session.ok(tag, f"{'UID ' if by_uid else ''}FETCH completed")


def _page(folder_id: int, uids: list[int], partial: tuple[int, int], since: int | None) -> list[int]:
    """Blocking: RFC 9394 §3.3, the messages of the set at the places the PARTIAL range
    names (-1 the last), counted among those changed after CHANGEDSINCE when it is given
    (§3.4): the client pages through what it asked for."""
    if since is not None:
        changed = {uid for uid, _modseq, _flags in changes_since(folder_id, since)}
        uids = [uid for uid in uids if uid in changed]
    return partial_slice(uids, partial)


@command("FETCH", {SELECTED})
async def cmd_fetch(session, tag: str, cursor: Cursor):
    """Message data by sequence number. State: selected. RFC 9051 §6.4.5."""
    await _fetch(session, tag, cursor, by_uid=False)


@command("UID FETCH", {SELECTED})
async def cmd_uid_fetch(session, tag: str, cursor: Cursor):
    """Message data by UID. State: selected. RFC 9051 §6.4.9."""
    await _fetch(session, tag, cursor, by_uid=True)
