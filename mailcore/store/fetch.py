"""Reading messages: the whole message, its header, or one MIME part (RFC 9051 §6.4.5)."""
from django.utils.translation import gettext as _

from mailcore.mime.structure import find_part

from . import blobs
from .errors import MessageNotFound
from .folders import get_folder
from .models import Message


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
    if spec == "HEADER":  # the top-level header includes the trace fields before it
        return bytes(message.trace) + octets
    return octets


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
