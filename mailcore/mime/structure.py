"""The MIME tree of a raw message with byte offsets, for BODYSTRUCTURE and BODY[section].

The email package does not keep offsets into the original bytes, and IMAP needs them
(RFC 9051 §6.4.5: sizes and line counts are of the body "in its transfer encoding",
BODY[1.2] returns the exact octets). So part boundaries are found here on the raw
bytes (RFC 2046 §5.1.1), and each part's header block is split by fields.py.

A part is a plain dict (stored as JSON with the message):
  type, subtype      lower-case; "text"/"plain" when absent (RFC 2045 §5.2)
  params             content-type parameters, RFC 2231 decoded
  id, description, encoding, md5, language, location
  disposition        [value, params] or None
  filename
  header             [start, end) of the part's header block (end = body start)
  body               [start, end) of the part's body
  lines              number of lines of a text/* or message/rfc822 body
  parts              children of a multipart
  message            for message/rfc822: {"envelope": [...], "part": <part>}
"""
from .fields import HeaderFields, parse_fields
from .headers import envelope_from_headers
from .text import scrub

MAX_MIME_DEPTH = 32  # deeper nesting is treated as an opaque leaf
MAX_MIME_PARTS = 2000  # parts beyond this are not split further
_BLANK_LINES = (b"\r\n\r\n", b"\n\n", b"\r\n\n", b"\n\r\n")


def parse_header_block(block: bytes) -> HeaderFields:
    """Parse a header block into its fields (see fields.py)."""
    return parse_fields(block)


def split_header(raw: bytes, start: int, end: int) -> int:
    """Return the offset where the body starts (after the blank line), or end if none."""
    # Bounded by end: an empty part must not claim the CRLF of the delimiter after it.
    if raw.startswith(b"\r\n", start, end):
        return start + 2  # no header fields at all
    if raw.startswith(b"\n", start, end):
        return start + 1
    # The first blank line in any mix of CRLF and bare LF; each later search stops at
    # the best one so far, so a large body is not scanned again.
    best_at, best_end = end, end
    for blank in _BLANK_LINES:
        at = raw.find(blank, start, min(end, best_at + len(blank)))
        if 0 <= at < best_at:
            best_at, best_end = at, at + len(blank)
    return best_end


class _Counter:
    def __init__(self):
        self.parts = 0


def parse_structure(raw: bytes) -> dict:
    """Return the MIME tree of a whole message."""
    return parse_message(raw)[0]


def parse_message(raw: bytes) -> tuple[dict, HeaderFields]:
    """Return the MIME tree of a whole message and its top-level header fields."""
    return _parse_part(raw, 0, len(raw), depth=0, counter=_Counter(), default_type=("text", "plain"))


def _parse_part(raw, start, end, depth, counter, default_type):
    """Return (part, its header fields) for raw[start:end]."""
    counter.parts += 1
    body_start = split_header(raw, start, end)
    headers = parse_header_block(raw[start:body_start])
    maintype, subtype = _content_type(headers, default_type)
    disposition = _disposition(headers)
    part = {
        "type": maintype,
        "subtype": subtype,
        "params": _params(headers, "content-type"),
        "id": _clean(headers.get("content-id")),
        "description": _clean(headers.get("content-description")),
        "encoding": (_clean(headers.get("content-transfer-encoding")) or "7bit").lower(),
        "md5": _clean(headers.get("content-md5")),
        "language": _clean(headers.get("content-language")),
        "location": _clean(headers.get("content-location")),
        "disposition": disposition,
        "filename": _filename(headers),
        "header": [start, body_start],
        "body": [body_start, end],
    }
    if maintype == "text" or (maintype, subtype) == ("message", "rfc822"):
        # RFC 3501 §7.4.2 "size of the body in text lines": the line breaks, as the
        # reference (Dovecot) counts them; a last line without one (the CRLF before a
        # boundary belongs to the boundary, RFC 2046 §5.1.1) is not a whole line.
        part["lines"] = raw.count(b"\n", body_start, end)
    too_deep = depth >= MAX_MIME_DEPTH or counter.parts >= MAX_MIME_PARTS
    if maintype == "multipart" and not too_deep:
        boundary = _param(headers, "boundary")
        if isinstance(boundary, tuple):  # RFC 2231 encoded boundary
            boundary = boundary[2]
        child_default = ("message", "rfc822") if subtype == "digest" else ("text", "plain")
        ranges = _split_multipart(raw, body_start, end, boundary) if boundary else []
        part["parts"] = [
            _parse_part(raw, s, e, depth + 1, counter, child_default)[0] for s, e in ranges
        ]
        if not part["parts"]:
            # RFC 2046 §5.1.1 needs at least one body part; show an empty text part
            # rather than refusing the message.
            part["parts"] = [_empty_part(end)]
    elif (maintype, subtype) == ("message", "rfc822") and not too_deep:
        inner, inner_headers = _parse_part(raw, body_start, end, depth + 1, counter, ("text", "plain"))
        part["message"] = {"envelope": envelope_from_headers(inner_headers), "part": inner}
    return part, headers


def _empty_part(offset):
    return {
        "type": "text", "subtype": "plain", "params": {"charset": "us-ascii"}, "id": None,
        "description": None, "encoding": "7bit", "md5": None, "language": None,
        "location": None, "disposition": None, "filename": None,
        "header": [offset, offset], "body": [offset, offset], "lines": 0,
    }


def _delimiter_end(raw, at, end, dash_boundary):
    """If a delimiter line starts at `at`, return (its end before the LF, is_close).

    RFC 2046 §5.1.1: "--" boundary, "--" again for the close delimiter, then optional
    linear white space to the end of the line. Returns None if the line is not one.
    """
    if at > 0 and raw[at - 1] != 0x0A:  # only at the start of a line
        return None
    after = at + len(dash_boundary)
    close = raw.startswith(b"--", after, end)
    if close:
        after += 2
    while after < end and raw[after] in b" \t":
        after += 1
    if after < end and raw[after] == 0x0D:
        after += 1
    if after < end and raw[after] != 0x0A:
        return None
    return after, close


def _split_multipart(raw, start, end, boundary):
    """Return the [start, end) ranges of each body part between boundary lines."""
    dash_boundary = b"--" + boundary.encode("utf-8", "replace")
    ranges = []
    part_start = None
    position = start
    while (at := raw.find(dash_boundary, position, end)) >= 0:
        delimiter = _delimiter_end(raw, at, end, dash_boundary)
        if delimiter is None:
            position = at + 1
            continue
        line_end, close = delimiter
        # RFC 2046 §5.1.1: the CRLF before a delimiter belongs to the delimiter.
        if raw.endswith(b"\r\n", start, at):
            part_end = at - 2
        elif raw.endswith(b"\n", start, at):
            part_end = at - 1
        else:
            part_end = at
        if part_start is not None:
            ranges.append((part_start, max(part_start, part_end)))
        if close:  # the rest is epilogue
            return ranges
        part_start = position = line_end
        if raw.startswith(b"\r\n", part_start):
            part_start += 2
        elif raw.startswith(b"\n", part_start):
            part_start += 1
        if len(ranges) >= MAX_MIME_PARTS:
            return ranges
    if part_start is not None and part_start <= end:
        ranges.append((part_start, end))  # unterminated: the last part runs to the end
    return ranges


def _clean(value):
    if value is None:
        return None
    return " ".join(str(value).split()) or None


def _content_type(headers, default):
    value = headers.get("content-type")
    if not value:
        return default
    ctype = str(value).split(";", 1)[0].strip().lower()
    maintype, sep, subtype = ctype.partition("/")
    if not sep or not maintype or not subtype or " " in ctype:
        return ("text", "plain")  # RFC 2045 §5.2: an invalid type means text/plain
    return maintype, subtype


def _raw_params(headers, header):
    """Return [(name, value)] of a header's parameters, or [] when they can't be parsed.

    Values are str, or (charset, language, text) for RFC 2231 ones.
    """
    try:
        return (headers.get_params(header=header) or [])[1:]
    except Exception:  # email.utils.decode_params raises TypeError on "name*" beside "name*0*"
        return []


def _param(headers, name, header="content-type"):
    for key, value in _raw_params(headers, header):
        if key.lower() == name:
            return value
    return None


def _params(headers, header):
    params = {}
    for key, value in _raw_params(headers, header):
        if isinstance(value, tuple):  # RFC 2231 (charset, language, value)
            value = _decode_2231(value)
        params[key.lower()] = " ".join(str(value).split()) if value is not None else ""
    return params


def _decode_2231(value):
    from email.utils import collapse_rfc2231_value

    _charset, language, text = value
    try:
        return scrub(collapse_rfc2231_value(value, errors="replace"))
    except (LookupError, UnicodeError):  # "idna" refuses errors="replace"
        return scrub(collapse_rfc2231_value(("utf-8", language, text), errors="replace"))


def _disposition(headers):
    value = headers.get("content-disposition")
    if not value:
        return None
    kind = str(value).split(";", 1)[0].strip().lower() or "attachment"
    return [kind, _params(headers, "content-disposition")]


def _filename(headers):
    from .headers import decode_words

    name = _param(headers, "filename", "content-disposition") or _param(headers, "name")
    if isinstance(name, tuple):
        name = _decode_2231(name)
    return decode_words(name) if name else None


def iter_leaves(part):
    """Yield every non-multipart part, depth first, with its IMAP section number."""
    yield from _leaves(part, "")


def _leaves(part, prefix):
    if "parts" in part:
        for index, child in enumerate(part["parts"], 1):
            yield from _leaves(child, f"{prefix}.{index}" if prefix else str(index))
    else:
        yield (prefix or "1"), part


def find_part(structure, section: str):
    """Return the part for an IMAP section number like "1.2" (RFC 9051 §6.4.5), or None.

    RFC 3501 §6.4.5: the numbers walk the parts of a multipart; a message that is not
    multipart has just part 1, its body. A number after a message/rfc822 part numbers
    the parts of the message inside it, so when part 2 is message/rfc822, "2" is that
    whole message and "2.1" is part 1 of it (its body when it is not multipart). Any
    other part that is not multipart has no parts below it.
    """
    part = structure
    for position, number in enumerate(section.split(".")):
        if not number.isdigit() or int(number) < 1:
            return None
        index = int(number) - 1
        if position:
            if "message" in part:  # step into the encapsulated message
                part = part["message"]["part"]
            elif "parts" not in part:
                return None
        if "parts" in part:
            if index >= len(part["parts"]):
                return None
            part = part["parts"][index]
        elif index != 0:
            return None
    return part
