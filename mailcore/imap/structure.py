"""ENVELOPE, BODY and BODYSTRUCTURE from the summary stored at append (RFC 9051 §7.5.2).

Nothing is parsed here: the store kept the envelope fields and the MIME tree with byte
offsets (mailcore.mime.structure), so these are serialisations only.
"""
import re
from urllib.parse import quote

from .responses import paren, quoted_or_literal

NIL = b"NIL"
_ATTRIBUTE_CHARS = "!#$&+-.^_`|~"  # RFC 2231 §7 attribute-char besides letters and digits
_COMMENT_RE = re.compile(r"\([^()]*\)")  # RFC 5322 §3.2.2 comment (not nested)


def _string(value) -> bytes:
    if value is None:
        return NIL
    data = value.encode("utf-8") if isinstance(value, str) else value
    if not data.isascii():
        # RFC 3501 §9: a quoted string is 7-bit; 8-bit text (an RFC 6532 header) goes
        # as a literal, which holds any octet but NUL, as the reference server sends it.
        return b"{%d}\r\n" % len(data) + data
    return quoted_or_literal(data)


def _address_list(addresses) -> bytes:
    if not addresses:
        return NIL
    # RFC 3501 §9: env-from = "(" 1*address ")": the addresses follow each other with no space.
    return b"(" + b"".join(paren([_string(part) for part in address]) for address in addresses) + b")"


def envelope(fields: list) -> bytes:
    """(date subject from sender reply-to to cc bcc in-reply-to message-id)."""
    if not fields or len(fields) != 10:
        return paren([NIL] * 10)
    date, subject, sender_from, sender, reply_to, to, cc, bcc, in_reply_to, message_id = fields
    return paren([
        _string(date), _string(subject), _address_list(sender_from), _address_list(sender), _address_list(reply_to),
        _address_list(to), _address_list(cc), _address_list(bcc), _string(in_reply_to), _string(message_id),
    ])


def _params(params: dict | None) -> bytes:
    if not params:
        return NIL
    return paren(item for key, value in params.items() for item in map(_string, _seven_bit(key, value)))


def _seven_bit(key: str, value: str) -> tuple[str, str]:
    """A parameter as 7-bit text. The tree keeps RFC 2231 values decoded (filters and the
    webmail read them); a non-ASCII one goes out encoded again (RFC 2231 §4, UTF-8), as an
    IMAP4rev1 quoted string holds 7-bit characters only (RFC 3501 §9 QUOTED-CHAR)."""
    if value is None or value.isascii():
        return key, value
    return key + "*", "utf-8''" + quote(value, safe=_ATTRIBUTE_CHARS)


def _disposition(disposition) -> bytes:
    if not disposition:
        return NIL
    kind, params = disposition
    return paren([_string(kind), _params(params)])


def _language(language) -> bytes:
    """RFC 3501 §7.4.2 body-fld-lang: the Content-Language tags (RFC 3282 §2), a list."""
    tags = [tag for tag in _COMMENT_RE.sub(" ", language or "").replace(",", " ").split() if tag]
    return paren(_string(tag) for tag in tags) if tags else NIL


def _type_params(part: dict) -> dict:
    """A text part's parameters, with the charset RFC 2045 §5.2 defaults to when it has none
    (RFC 3501 §7.4.2 shows it, as the reference server does)."""
    params = part.get("params") or {}
    if part["type"] == "text" and "charset" not in params:
        return {**params, "charset": "us-ascii"}
    return params


def body_structure(part: dict, extended: bool = True) -> bytes:
    """BODYSTRUCTURE (extended=True) or BODY (the non-extensible form) of a part."""
    if "parts" in part:
        items = [body_structure(child, extended) for child in part["parts"]]
        out = b"".join(items) + b" " + _string(part["subtype"])
        if extended:
            out += b" " + b" ".join([_params(part.get("params")), _disposition(part.get("disposition")),
                                     _language(part.get("language")), _string(part.get("location"))])
        return b"(" + out + b")"
    start, end = part["body"]
    fields = [
        _string(part["type"]), _string(part["subtype"]), _params(_type_params(part)), _string(part.get("id")),
        _string(part.get("description")), _string(part.get("encoding") or "7bit"), str(end - start).encode(),
    ]
    if "message" in part and (part["type"], part["subtype"]) == ("message", "rfc822"):
        inner = part["message"]
        fields += [envelope(inner["envelope"]), body_structure(inner["part"], extended),
                   str(part.get("lines", 0)).encode()]
    elif part["type"] == "text":
        fields.append(str(part.get("lines", 0)).encode())
    if extended:
        fields += [_string(part.get("md5")), _disposition(part.get("disposition")), _language(part.get("language")),
                   _string(part.get("location"))]
    return paren(fields)
