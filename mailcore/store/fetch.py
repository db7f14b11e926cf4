"""Reading messages: the whole message, its header, or one MIME part (RFC 9051 §6.4.5)."""
from django.utils.translation import gettext as _

from mailcore.mime import transfer
from mailcore.mime.structure import find_part

from . import blobs
from .errors import MessageNotFound
from .folders import get_folder
from .models import Message
from .summaries import refresh_stale

CHUNK = 500  # messages per query
FLAG_COLUMNS = ("keywords", *Message.SYSTEM_FLAGS.values())
_SUMMARY_COLUMNS = {"envelope", "structure"}


class MessageRow:
    """Some columns of a message, under the attribute names a Message has (flags too)."""

    __slots__ = ("__dict__",)

    def __init__(self, values: dict):
        self.__dict__.update(values)

    SYSTEM_FLAGS = Message.SYSTEM_FLAGS
    flags = Message.flags


def fetch_rows(folder_id: int, uids: list[int], columns: tuple | None = None, changed_since: int | None = None):
    """Yield a folder's messages with these UIDs, in UID order (what IMAP FETCH reads).

    columns None: Message rows with their blob (for body sections). Else MessageRow of
    just these columns ("uid" among them): building model instances was most of the
    cost of a FETCH of envelopes or flags. An envelope or tree stored by an older parser
    is brought up to date first (summaries.py). changed_since: only rows with a greater
    MODSEQ (RFC 7162 §3.1.4.1).
    """
    extra = ()
    if columns is not None and _SUMMARY_COLUMNS & set(columns):
        extra = tuple(name for name in ("summary_version", "blob_id") if name not in columns)
    for start in range(0, len(uids), CHUNK):
        rows = Message.objects.filter(folder_id=folder_id, uid__in=uids[start:start + CHUNK])
        if changed_since is not None:
            rows = rows.filter(modseq__gt=changed_since)
        rows = rows.order_by("uid")
        if columns is None:
            messages = list(rows.select_related("blob"))
            refresh_stale(messages)
        else:
            names = columns + extra
            messages = [MessageRow(dict(zip(names, values, strict=True))) for values in rows.values_list(*names)]
            if extra:
                refresh_stale(messages)
        yield from messages


def get_message(account_id: int, folder, uid: int) -> Message:
    """Return the message with this UID in an account's folder (name or id)."""
    folder_id = folder if isinstance(folder, int) else get_folder(account_id, folder).pk
    message = (
        Message.objects.select_related("blob")
        .filter(folder_id=folder_id, account_id=account_id, uid=uid)
        .first()
    )
    if message is None:
        raise MessageNotFound(_("There is no message with UID %(uid)s.") % {"uid": uid})
    refresh_stale([message])
    return message


def url_section(account_id: int, folder: str, uid: int, section: str = "", uidvalidity: int | None = None
                ) -> bytes | None:
    """BODY[section] of a message named as an IMAP URL names it (RFC 5092): folder, UID and,
    if given, the UIDVALIDITY it must still have. None if the message has no such section.

    Raises FolderNotFound or MessageNotFound (also for a UIDVALIDITY that changed).
    """
    found = get_folder(account_id, folder)
    if uidvalidity is not None and found.uidvalidity != uidvalidity:
        raise MessageNotFound(_("The folder's UIDVALIDITY is not %(uidvalidity)s.") % {"uidvalidity": uidvalidity})
    return fetch_section(get_message(account_id, found.pk, uid), section)


def fetch_raw(message: Message) -> bytes:
    """The whole message as IMAP serves it: this copy's trace fields, then the blob."""
    return bytes(message.trace) + blobs.read(message.blob.digest)


def fetch_section(message: Message, section: str = "") -> bytes | None:
    """Return the octets of a BODY[section] (RFC 9051 §6.4.5), or None if it doesn't exist.

    section is "" (whole), "HEADER", "TEXT", or a part number optionally followed by
    ".HEADER", ".TEXT" or ".MIME" ("1.2.MIME"). HEADER.FIELDS filtering is the IMAP
    layer's job: it gets the HEADER octets from here.
    """
    structure = message.structure
    spec = section.upper()
    if spec == "":
        return fetch_raw(message)
    number, _sep, suffix = _split_section(spec)
    if number:
        part = find_part(structure, number)
        if part is None:
            return None
    else:
        part = structure
    if suffix == "MIME":
        if not number:
            return None
        start, end = part["header"]
    elif suffix in ("HEADER", "TEXT"):
        if number:  # BODY[n.HEADER] is the header of the message/rfc822 in part n
            if "message" not in part:
                return None
            part = part["message"]["part"]
        start, end = part["header"] if suffix == "HEADER" else part["body"]
    elif suffix == "":
        start, end = part["body"]
    else:
        return None
    octets = blobs.read_range(message.blob.digest, start, end)
    if part is structure and (start, end) == tuple(structure["header"]):
        # The message's own header (BODY[HEADER], or BODY[1.MIME] of a message that is not
        # multipart) starts with this copy's trace fields, as BODY[] does.
        return bytes(message.trace) + octets
    return octets


def fetch_binary(message: Message, section: str = "") -> bytes | None:
    """Return BINARY[section] (RFC 3516 §4.2): the part's body with its Content-Transfer-
    Encoding removed, or None if the part doesn't exist. section is "" or part numbers.

    Only the part's octets are read from the blob. "" is the whole message as BODY[]
    gives it, headers not rewritten (a multipart is 7bit, 8bit or binary: RFC 2045 §6.4);
    "1" of a single-part message is its decoded body.
    Raises transfer.UnknownEncoding (the IMAP layer answers UNKNOWN-CTE, RFC 3516 §4.3).
    """
    if section == "":
        return fetch_raw(message)
    part = find_part(message.structure, section)
    if part is None:
        return None
    start, end = part["body"]
    encoding = part.get("encoding")
    if transfer.encoding_name(encoding) not in transfer.KNOWN:
        raise transfer.UnknownEncoding(encoding)  # refused before reading the blob
    return transfer.decode(blobs.read_range(message.blob.digest, start, end), encoding)


def _split_section(spec: str) -> tuple[str, str, str]:
    """Split "1.2.MIME" into ("1.2", ".", "MIME") and "HEADER" into ("", "", "HEADER")."""
    pieces = spec.split(".")
    numbers = []
    for piece in pieces:
        if piece.isdigit():
            numbers.append(piece)
        else:
            break
    suffix = ".".join(pieces[len(numbers):])
    return ".".join(numbers), ".", suffix
