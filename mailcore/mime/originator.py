"""The originator fields of a header block: exactly one From, and no mbox "From " lines.

RFC 5322 §3.6 allows one From field, no fewer and no more (the table of field counts:
"from 1 1"). A second From, or a "From " line (an mbox separator, with no colon) inside
the header, is where readers disagree: our parser (fields.py) skips a "From " line, as
the email package does, and takes every From value, while another program may show only
the first From, only the last, or take the "From " line as the sender or as the end of
the header. A message whose sender depends on who reads it is refused on submission,
where the sender is checked (smtp/submission.py).

The whole block up to the first blank line is scanned, lines that our parser would
treat as the end of the header included: a more lenient reader may go on past them.
"""
import re
from enum import Enum

from .structure import split_header

# RFC 5322 §3.6.8 field name, and §4.5.3 (obsolete syntax): white space before the colon.
_FROM_FIELD = re.compile(rb"(?i)from[ \t]*:")
_MBOX_LINE = re.compile(rb"(?i)from ")  # an mbox separator: "From sender date", no colon
_LINE = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n|$)")


class OriginatorProblem(Enum):
    NO_FROM = "no From field"
    SEVERAL_FROM = "more than one From field"
    MBOX_FROM_LINE = 'an mbox "From " line in the header'


def originator_problem(raw: bytes) -> OriginatorProblem | None:
    """What is wrong with raw's From fields (RFC 5322 §3.6), or None if it has exactly one."""
    end = split_header(raw, 0, len(raw))
    count = 0
    for match in _LINE.finditer(raw, 0, end):
        line = match.group(0)
        if not line.strip(b"\r\n"):
            break  # the blank line (or the end of the block)
        if line[:1] in (b" ", b"\t"):
            continue  # a folded continuation (RFC 5322 §2.2.3)
        if _FROM_FIELD.match(line):
            count += 1
        elif _MBOX_LINE.match(line):
            return OriginatorProblem.MBOX_FROM_LINE
    if count == 0:
        return OriginatorProblem.NO_FROM
    if count > 1:
        return OriginatorProblem.SEVERAL_FROM
    return None
