"""Attachment policy: refuse file types a domain blocks, by name, by type, and inside zip archives.

The MIME tree comes from mailcore.mime.structure (the same parser IMAP uses, which never
raises on malformed MIME and caps depth and part count). Each leaf is checked by:

- every name it gives: the Content-Disposition filename and the Content-Type name
  (RFC 2183 §2.3, RFC 2045 §5.1), RFC 2231 parameters already decoded by the parser, and
  RFC 2047 encoded-words decoded here because common clients send them (RFC 2231 §1 says
  they should not). Mail readers pick one or the other, so both are checked. The name is
  normalised the way Windows opens it: path parts, trailing dots and spaces and invisible
  format characters (U+202E "right-to-left override" hides ".exe") are dropped, so
  "invoice.pdf.exe. " is an ".exe";
- its declared content type, and the type its first bytes show (a Windows executable
  starts with "MZ"; an ISO 9660 image has "CD001" at byte 32769) when that type or
  extension is blocked, so renaming an .exe to .pdf does not get it through;
- a zip archive (found by its bytes, whatever its name) is opened: each member's name is
  checked, and archives inside it are opened too, up to MAX_ARCHIVE_DEPTH.

Fail closed: what cannot be inspected (a corrupt zip, an encrypted zip inside a zip, more
members or bigger nested archives than the limits allow, nesting deeper than the limit) is
blocked with a reason saying so. docs/filters-quarantine.md explains the choices.
"""
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from mailcore.mime.headers import decode_words
from mailcore.mime.structure import parse_structure
from mailcore.mime.text import decode_part_bytes

from .policy import blocked_extensions, blocked_types

MAX_ARCHIVE_DEPTH = 3  # the attached zip, a zip inside it, and one more inside that
MAX_MEMBERS = 1000  # per archive; names are read from the central directory only
MAX_NESTED_BYTES = 20 * 1024 * 1024  # a zip inside a zip is decompressed up to this
MAX_TOTAL_BYTES = 50 * 1024 * 1024  # decompressed across one message: a zip bomb stops here
MAX_PARTS = 500  # MIME leaves checked; the parser caps its tree at 2000 parts anyway

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a local file header; an empty archive
_ISO_MAGIC_OFFSET = 32769  # ISO 9660 primary volume descriptor: "CD001" at sector 16 + 1
_PATH_SEPARATORS = re.compile(r"[\\/]")


@dataclass
class _Budget:
    """Decompressed bytes left for this message's nested archives."""

    left: int


class _Blocked(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def blocked(raw: bytes, policy, structure: dict | None = None) -> str | None:
    """Why this message breaks the domain's attachment policy, or None if it does not.

    structure: raw's MIME tree when the caller parsed it already (the scan does, once).
    """
    extensions, types = blocked_extensions(policy), blocked_types(policy)
    if not extensions and not types:
        return None
    budget = _Budget(MAX_TOTAL_BYTES)
    try:
        for count, part in enumerate(_leaves(structure if structure is not None else parse_structure(raw))):
            if count >= MAX_PARTS:
                break
            _check_part(raw, part, extensions, types, budget)
    except _Blocked as found:
        return found.reason
    return None


def _leaves(part):
    """Every leaf of the tree, including those of attached messages (message/rfc822)."""
    if "parts" in part:
        for child in part["parts"]:
            yield from _leaves(child)
    elif "message" in part:
        yield from _leaves(part["message"]["part"])
    else:
        yield part


def _names(part) -> list[str]:
    names = [(part.get("disposition") or [None, {}])[1].get("filename"), (part.get("params") or {}).get("name")]
    return [normalise_name(decode_words(name)) for name in dict.fromkeys(names) if name]


def normalise_name(name: str) -> str:
    """The name as Windows would open it: last path part, no format characters, no trailing
    dots or spaces (Win32 strips them), lower case."""
    name = _PATH_SEPARATORS.split(name)[-1]
    name = "".join(char for char in name if unicodedata.category(char) not in ("Cf", "Cc"))
    return name.rstrip(". \t").lower()


def extension(name: str) -> str:
    return name.rpartition(".")[2] if "." in name else ""


def _check_name(name: str, extensions: set[str], where: str = ""):
    ext = extension(name)
    if ext and ext in extensions:
        raise _Blocked(f'blocked attachment "{name}"{where}: .{ext} files are not accepted')


def _check_part(raw: bytes, part: dict, extensions: set[str], types: set[str], budget: _Budget):
    for name in _names(part):
        _check_name(name, extensions)
    declared = f"{part['type']}/{part['subtype']}"
    label = (_names(part) or [declared])[0]
    if declared in types:
        raise _Blocked(f'blocked attachment "{label}": {declared} is not accepted')
    if part["type"] == "text":
        return  # text is never an executable or an archive to a mail reader
    data = decode_part_bytes(raw, part)
    _check_sniffed(data, label, extensions, types)
    if data.startswith(_ZIP_MAGIC) or extension(label) == "zip":
        _check_zip(data, label, extensions, types, budget, depth=1)


def _check_sniffed(data: bytes, label: str, extensions: set[str], types: set[str], where: str = ""):
    """Block by what the bytes are, not what the part says they are."""
    if data.startswith(b"MZ") and types & {"application/x-msdownload", "application/x-dosexec"}:
        raise _Blocked(f'blocked attachment "{label}"{where}: it is a Windows program')
    if "iso" in extensions and data[_ISO_MAGIC_OFFSET:_ISO_MAGIC_OFFSET + 5] == b"CD001":
        raise _Blocked(f'blocked attachment "{label}"{where}: it is a disk image, which may hold programs')


def _check_zip(data: bytes, label: str, extensions: set[str], types: set[str], budget: _Budget, depth: int):
    if depth > MAX_ARCHIVE_DEPTH:
        raise _Blocked(f'blocked attachment "{label}": archives nested too deep to inspect')
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, NotImplementedError):
        raise _Blocked(f'blocked attachment "{label}": a damaged zip archive cannot be inspected') from None
    if len(members) > MAX_MEMBERS:
        raise _Blocked(f'blocked attachment "{label}": too many files in the archive to inspect')
    where = f' in "{label}"'
    for member in members:
        name = normalise_name(member.filename)
        _check_name(name, extensions, where)
    for member in members:
        name = normalise_name(member.filename)
        if extension(name) == "zip" or _starts_like_zip(archive, member):
            _check_nested(archive, member, name, extensions, types, budget, depth)


def _starts_like_zip(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    """A renamed archive: peek at the member's first bytes (at most one small read)."""
    if member.is_dir() or member.flag_bits & 0x1 or member.file_size < 4:
        return False
    try:
        with archive.open(member) as stream:
            return stream.read(4) in _ZIP_MAGIC
    except Exception:  # an unsupported compression or a damaged member: not openable, not run
        return False


def _check_nested(archive, member, name, extensions, types, budget: _Budget, depth: int):
    if member.flag_bits & 0x1:  # PKWARE APPNOTE §4.4.4: flag bit 0 = encrypted
        raise _Blocked(f'blocked attachment "{name}": an encrypted archive inside an archive cannot be inspected')
    limit = min(MAX_NESTED_BYTES, budget.left)
    if member.file_size > limit:
        raise _Blocked(f'blocked attachment "{name}": an archive inside an archive too large to inspect')
    try:
        with archive.open(member) as stream:
            data = stream.read(limit + 1)  # never trust the declared size: a bomb lies about it
    except Exception:
        raise _Blocked(f'blocked attachment "{name}": a damaged archive cannot be inspected') from None
    if len(data) > limit:
        raise _Blocked(f'blocked attachment "{name}": an archive inside an archive too large to inspect')
    budget.left -= len(data)
    _check_zip(data, name, extensions, types, budget, depth + 1)
