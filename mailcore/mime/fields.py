"""A parsed header block: the fields of a message or a MIME part, in order.

The email package's parser costs as much as the rest of an append together (it is a
general feed parser, and Message.get scans every field on each lookup). A header block
needs far less: split it into fields (RFC 5322 §2.2), keep each value as written
(folds included), and answer lookups from a dict. The splitting rules follow the email
package's, so parsing gives the same fields it did: an mbox "From " line is skipped,
as are a field without a name and a continuation line with nothing to continue, and
the first line that is neither a field nor a continuation ends the header.
"""
import re
from email.message import Message as EmailMessage
from email.utils import getaddresses, unquote

from .text import header_text

# A field name is printable US-ASCII except the colon (RFC 5322 §3.6.8); the email
# package also accepts an empty name, and so do we, to read what it read.
_FIELD_RE = re.compile(r"([\041-\071\073-\176]*):(.*)", re.DOTALL)
_LINE_RE = re.compile(r".*?(?:\r\n|\r|\n|$)", re.DOTALL)
# Breaks str.splitlines knows besides CR and LF: where one occurs, lines are split by
# _LINE_RE (CR, LF and CRLF only, as the email package does); else splitlines, faster.
_OTHER_BREAKS = re.compile("[\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
# A fold: the line break before white space (RFC 5322 §2.2.3). Unfolding removes the break
# and keeps the white space.
_FOLD_RE = re.compile(r"\r?\n(?=[ \t])")


class HeaderFields:
    """The fields of one header block; names are case-insensitive (RFC 5322 §1.2.2)."""

    __slots__ = ("_addresses", "_by_name", "_params", "fields")

    def __init__(self, fields: list[tuple[str, str]]):
        self.fields = fields
        self._addresses: dict[str, list[tuple[str, str]]] = {}
        self._params: dict[str, list | None] = {}
        self._by_name: dict[str, list[str]] = {}
        for name, value in fields:
            self._by_name.setdefault(name.lower(), []).append(value)

    def get(self, name: str, default=None):
        values = self._by_name.get(name.lower())
        return values[0] if values else default

    def get_all(self, name: str):
        """All values of a field, or None when it is absent (as email.message does)."""
        return self._by_name.get(name.lower())

    def addresses(self, name: str) -> list[tuple[str, str]]:
        """[(display name, addr-spec)] of an address field, undecoded; parsed once.

        Both the ENVELOPE and the summary read From/To/Cc, so the result is kept.
        """
        name = name.lower()
        if name not in self._addresses:
            try:
                pairs = getaddresses(self._by_name.get(name) or [])
            except Exception:  # getaddresses raises assorted errors on hostile input
                pairs = []
            self._addresses[name] = [(display, addr) for display, addr in pairs if addr or display]
        return self._addresses[name]

    def get_params(self, header: str = "content-type"):
        """The field's [(value, ""), (param, value)...] with RFC 2231 decoded, or None.

        Parameter syntax (quoting, RFC 2231 continuations and charsets) is delegated to
        the email package, which handles its many malformed forms; only this one field
        is handed over. The result is kept: a part's type, boundary and file name all
        read it.
        """
        header = header.lower()
        if header not in self._params:
            value = self.get(header)
            if value is not None:
                # RFC 5322 §2.2.3: parameters are read unfolded, so a boundary folded
                # inside its quotes ("foo\r\n bar") is "foo bar", as its delimiter lines say.
                value = _FOLD_RE.sub("", value)
            if value is None:
                self._params[header] = None
            elif "*" not in value:  # no RFC 2231 parameter: split here, as the email package does
                self._params[header] = _plain_params(value)
            else:
                message = EmailMessage()
                message[header] = value
                self._params[header] = message.get_params(header=header)
        return self._params[header]


def _plain_params(value: str) -> list[tuple[str, str]]:
    """email.message's get_params for a value without RFC 2231 parameters, without building
    a Message for it: split at each ";" outside quotes, names lower-cased, values unquoted.
    Equal by test (tests/mailcore/mime/test_header_fast_paths.py)."""
    params = []
    rest = value
    while True:
        end = rest.find(";")
        # A ";" inside a quoted string does not end the parameter (unescaped quotes odd).
        while end > 0 and (rest.count('"', 0, end) - rest.count('\\"', 0, end)) % 2:
            end = rest.find(";", end + 1)
        item, rest = (rest, None) if end < 0 else (rest[:end], rest[end + 1:])
        name, sep, val = item.partition("=")
        params.append((name.strip().lower(), unquote(val.strip())) if sep else (item.strip(), ""))
        if rest is None:
            return params


def parse_fields(block: bytes) -> HeaderFields:
    """Parse a header block (without or with its blank line) into HeaderFields.

    Bytes are decoded as UTF-8 (RFC 6532), other 8-bit bytes as Latin-1 (text.header_text),
    so malformed 8-bit headers can't smuggle surrogates into stored JSON, and NUL is
    dropped because PostgreSQL stores none in text or jsonb.
    """
    text = header_text(block)
    fields: list[tuple[str, str]] = []
    name = None
    value_lines: list[str] = []
    lines = _LINE_RE.findall(text) if _OTHER_BREAKS.search(text) else text.splitlines(keepends=True)
    for line in lines:
        if not line or line in ("\r\n", "\n", "\r"):
            break  # the blank line that ends the header
        if line[0] in " \t":
            if name is not None:
                value_lines.append(line)
            continue  # a continuation with nothing before it: dropped
        if name is not None:
            fields.append(_field(name, value_lines))
            name = None
        if line.startswith("From "):
            continue  # an mbox separator line, not a field
        match = _FIELD_RE.fullmatch(line)
        if match is None:
            break  # not a field: the header ends here
        if match.group(1):  # a field without a name is dropped
            name = match.group(1)
            value_lines = [match.group(2).lstrip(" \t")]
    if name is not None:
        fields.append(_field(name, value_lines))
    return HeaderFields(fields)


def _field(name: str, value_lines: list[str]) -> tuple[str, str]:
    return name, "".join(value_lines).rstrip("\r\n")
