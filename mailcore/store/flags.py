"""Flags: system flags and keywords (RFC 9051 §2.3.2), validated once, here."""
import re

from django.utils.translation import gettext as _

from .errors import InvalidFlag

SYSTEM_FLAGS = {
    "\\seen": "seen",
    "\\answered": "answered",
    "\\flagged": "flagged",
    "\\deleted": "deleted",
    "\\draft": "draft",
}
MAX_KEYWORDS = 64  # per message
MAX_KEYWORD_CHARS = 100
# RFC 9051 §9 flag-keyword = atom: no atom-specials ( ) { SP CTL % * " \ ]
_KEYWORD_RE = re.compile(r'^[^(){ \x00-\x1f\x7f%*"\\\]]+$')


def split_flags(flags) -> tuple[dict[str, bool], list[str]]:
    """Return ({system attr: True}, [keywords]) for an iterable of IMAP flag strings.

    System flags are matched without regard to case; keywords keep the case first seen
    and are deduplicated case-insensitively. \\Recent cannot be set (RFC 9051 removed it;
    RFC 3501 §2.3.2 makes it server-only).
    """
    system: dict[str, bool] = {}
    keywords: list[str] = []
    seen_lower: set[str] = set()
    for flag in flags or ():
        if not isinstance(flag, str) or not flag:
            raise InvalidFlag(_("An empty flag is not allowed."))
        lower = flag.lower()
        if lower in SYSTEM_FLAGS:
            system[SYSTEM_FLAGS[lower]] = True
            continue
        if flag.startswith("\\"):
            raise InvalidFlag(_("The flag %(flag)s cannot be set.") % {"flag": flag})
        if len(flag) > MAX_KEYWORD_CHARS or not _KEYWORD_RE.match(flag):
            raise InvalidFlag(_("%(flag)s is not a valid keyword.") % {"flag": flag})
        if lower not in seen_lower:
            seen_lower.add(lower)
            keywords.append(flag)
    if len(keywords) > MAX_KEYWORDS:
        raise InvalidFlag(_("At most %(count)d keywords are allowed on a message.") % {"count": MAX_KEYWORDS})
    return system, keywords


def merge_keywords(current: list[str], add: list[str] = (), remove: list[str] = ()) -> list[str]:
    """Return current keywords plus add minus remove, case-insensitively, sorted."""
    removed = {k.lower() for k in remove}
    result = {k.lower(): k for k in current if k.lower() not in removed}
    for keyword in add:
        result.setdefault(keyword.lower(), keyword)
    if len(result) > MAX_KEYWORDS:
        raise InvalidFlag(_("At most %(count)d keywords are allowed on a message.") % {"count": MAX_KEYWORDS})
    return sorted(result.values(), key=str.lower)
