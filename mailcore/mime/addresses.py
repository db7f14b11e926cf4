"""Address lists as the IMAP ENVELOPE shows them: groups and source routes kept.

email.utils.getaddresses flattens a group ("team: a@x, b@y;") into its members and
drops a source route ("<@relay:user@host>"), but the ENVELOPE shows both (RFC 3501
§7.4.2, RFC 9051 §7.5.2): a group is a start entry (NIL NIL "name" NIL), its members,
and an end entry (NIL NIL NIL NIL); a route is the "adl" field. So the list is split
here at its top-level commas, colons and semicolons (outside quotes, comments and
angle brackets), and each mailbox is still read by getaddresses, which knows the
many forms a display name takes ("user@host (Real Name)" among them).
"""
import re
from email.utils import getaddresses

from .text import scrub

_ROUTE_END = ":"
_FOLD_RE = re.compile(r"\r?\n(?=[ \t])")  # RFC 5322 §2.2.3 unfolding
_COMMENT_RE = re.compile(r"\((?:[^()\\]|\\.)*\)")  # RFC 5322 §3.2.2, one level
# What only the full split below reads right: groups and routes (":"), comments ("("), "<>".
_SPECIAL_RE = re.compile(r"[:(]|<\s*>")
MISSING_MAILBOX = "MISSING_MAILBOX"
MISSING_DOMAIN = "MISSING_DOMAIN"


def envelope_addresses(values: list[str] | None, pairs: list[tuple[str, str]] | None = None) -> list[list]:
    """[name, adl, mailbox, host] entries of an address field's values, undecoded.

    pairs: getaddresses of the same values when the caller has them already (the summary
    reads From/To/Cc too); used as they are when the values hold no group, route, comment
    or empty "<>", which is nearly always, so an append pays for one parse, not two.
    """
    if pairs is not None and not any(_SPECIAL_RE.search(value) for value in values or []):
        return [_entry(display, addr, None) for display, addr in pairs if addr or display]
    entries: list[list] = []
    for value in values or []:
        for kind, text in _split(scrub(_FOLD_RE.sub("", str(value)))):
            if kind == "start":
                entries.append([None, None, _phrase(text), None])
            elif kind == "end":
                entries.append([None, None, None, None])
            else:
                entries.extend(_mailboxes(text))
    return entries


def _split(value: str):
    """Yield ("mailbox", text), ("start", group name) and ("end", "") in order."""
    buffer: list[str] = []
    in_group = False
    quoted = False
    comment = 0
    angle = 0
    escaped = False
    for char in value:
        if escaped:
            escaped = False
        elif char == "\\" and (quoted or comment):
            escaped = True
        elif quoted:
            quoted = char != '"'
        elif comment:
            comment += {"(": 1, ")": -1}.get(char, 0)
        elif char == '"':
            quoted = True
        elif char == "(":
            comment = 1
        elif char == "<":
            angle += 1
        elif char == ">":
            angle = max(0, angle - 1)
        elif not angle and char == ",":
            yield "mailbox", "".join(buffer)
            buffer = []
            continue
        elif not angle and char == ":" and not in_group:
            yield "start", "".join(buffer)  # RFC 5322 §3.4: group = display-name ":" [group-list] ";"
            buffer, in_group = [], True
            continue
        elif not angle and char == ";" and in_group:
            yield "mailbox", "".join(buffer)
            yield "end", ""
            buffer, in_group = [], False
            continue
        buffer.append(char)
    yield "mailbox", "".join(buffer)
    if in_group:  # an unterminated group still ends
        yield "end", ""


def _phrase(text: str) -> str:
    """A group's display name: white space folded, outer quotes removed; never NIL, since
    a NIL name would make the start entry an end entry."""
    text = " ".join(text.split())
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return text


def _mailboxes(text: str) -> list[list]:
    """[name, adl, mailbox, host] of the mailbox in text; none when it holds no address."""
    route = None
    start = text.find("<@")
    if start >= 0:
        # RFC 5322 §4.4 obs-route: "<@a,@b:user@host>"; the route is the adl.
        colon = text.find(_ROUTE_END, start)
        close = text.find(">", start)
        if colon > 0 and (close < 0 or colon < close):
            route = text[start + 1:colon].strip() or None
            text = text[:start + 1] + text[colon + 1:]
    opening, closing = text.find("<"), text.rfind(">")
    if 0 <= opening < closing and "(" in text:
        # Beside a name-addr, comments are white space (RFC 5322 §3.4 CFWS), not part of
        # the display name, which getaddresses would make of them ("Real (c) <a@b>" is
        # "Real"). A phrase with quotes is left whole: its parentheses may be quoted.
        phrase = text[:opening] if '"' in text[:opening] else _COMMENT_RE.sub(" ", text[:opening])
        text = phrase + _COMMENT_RE.sub(" ", text[opening:closing]) + text[closing:]
    try:
        pairs = getaddresses([text])
    except Exception:  # getaddresses raises assorted errors on hostile input
        return []
    pairs = [(display, addr) for display, addr in pairs if addr or display]
    if not pairs and "<>" in text.replace(" ", ""):
        pairs = [("", "")]  # "<>": an address with nothing in it, still an address
    return [_entry(display, addr, route) for display, addr in pairs]


def _entry(display: str, addr: str, route: str | None) -> list:
    mailbox, _sep, host = addr.rpartition("@") if "@" in addr else (addr, "", "")
    # A NIL host would make this a group marker (RFC 3501 §7.4.2), so a missing part
    # gets the placeholder the reference (Dovecot) shows.
    return [display or None, route, mailbox or MISSING_MAILBOX, host or MISSING_DOMAIN]
