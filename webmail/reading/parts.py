"""What a reader sees in a stored message: which part is the body, which are attachments.

Works on the MIME tree stored at append (mailcore.mime.structure: byte offsets into the
blob), so a message is read from disk once per request and never parsed again.
"""
import mimetypes
import re
from dataclasses import dataclass

from mailcore.mime.fields import parse_fields
from mailcore.mime.headers import address_list
from mailcore.store import blobs

from .sanitize import content_id_key

_TOKEN_RE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$")
BODY_SUBTYPES = ("plain", "html")


@dataclass
class Loaded:
    """A message's blob and its top-level header fields."""

    raw: bytes
    headers: object

    def addresses(self, name):
        return address_list(self.headers, name)


def load(message) -> Loaded:
    raw = blobs.read(message.blob.digest)
    start, end = message.structure.get("header", [0, 0])
    return Loaded(raw=raw, headers=parse_fields(raw[start:end]))


def walk(part, section=""):
    """Yield (section, part) for every part, depth first, with IMAP section numbers."""
    if "parts" in part:
        for index, child in enumerate(part["parts"], 1):
            yield from walk(child, f"{section}.{index}" if section else str(index))
    else:
        yield (section or "1"), part


def find_leaf(structure, section: str):
    """The non-multipart part with this section number, or None."""
    return next((part for number, part in walk(structure) if number == section), None)


def _disposition(part):
    return (part.get("disposition") or [None])[0]


def _is_body_candidate(part):
    return (part["type"] == "text" and part["subtype"] in BODY_SUBTYPES
            and _disposition(part) != "attachment" and not part.get("filename"))


def choose_body(part, section=""):
    """Return (section, part) of the text to show, or None.

    RFC 2046 §5.1.4: in multipart/alternative the last part the reader can show is the
    best; HTML is preferred to plain text. In any other multipart the first showable
    part is the body and the rest are attachments or inline images.
    """
    if "parts" in part:
        children = [choose_body(child, f"{section}.{i}" if section else str(i))
                    for i, child in enumerate(part["parts"], 1)]
        found = [child for child in children if child]
        if not found:
            return None
        if part["subtype"] == "alternative":
            html = [child for child in found if child[1]["subtype"] == "html"]
            return (html or found)[-1]
        return found[0]
    return ((section or "1"), part) if _is_body_candidate(part) else None


def content_ids(structure) -> dict[str, str]:
    """Map each part's Content-ID (content_id_key form) to its section."""
    return {content_id_key(part["id"]): section
            for section, part in walk(structure) if part.get("id")}


@dataclass
class Attachment:
    section: str
    filename: str
    content_type: str
    size: int  # decoded, estimated from the encoded length


def content_type(part) -> str:
    """The part's media type if it is well formed (it goes into a response header)."""
    kind = f"{part['type']}/{part['subtype']}"
    return kind if all(_TOKEN_RE.match(piece) for piece in (part["type"], part["subtype"])) \
        else "application/octet-stream"


def decoded_size(part) -> int:
    start, end = part["body"]
    length = end - start
    if part.get("encoding") == "base64":
        return length * 57 // 78  # 57 octets per 76-character line and its CRLF
    return length


def filename(section, part) -> str:
    name = " ".join((part.get("filename") or "").split())
    name = name.replace("/", "_").replace("\\", "_").lstrip(".")
    if name:
        return name[:255]
    if (part["type"], part["subtype"]) == ("message", "rfc822"):
        extension = ".eml"
    else:
        extension = mimetypes.guess_extension(content_type(part), strict=False) or ".bin"
    return f"part-{section}{extension}"


def attachments(structure, body_section, shown_inline=frozenset()) -> list[Attachment]:
    """Every part except the body, alternatives of it, and images shown inline by cid:."""
    found = []
    for section, part in walk(structure):
        if section == body_section:
            continue
        if _is_body_candidate(part):
            continue  # the other alternative of the body, or an empty text part
        if part.get("id") and content_id_key(part["id"]) in shown_inline:
            continue
        found.append(Attachment(section, filename(section, part), content_type(part),
                                decoded_size(part)))
    return found
