"""The messages recent in one session (RFC 3501 §2.3.2 \\Recent), as UID ranges.

The session claims ranges [first, upto) from the store (store/recent.py) when it
selects a folder and when it sees new mail; a message is recent here if its UID is in
a claimed range and it is still in the session's view. Ranges, not a set of UIDs: the
first SELECT of a large folder full of new mail claims one range, however many
messages it holds. The search keys RECENT, NEW and OLD are made from these ranges
(bind_recent), each time a search runs.
"""
import bisect

RECENT = "\\Recent"


class RecentUids:
    def __init__(self):
        self.ranges: list[tuple[int, int]] = []  # ascending, disjoint
        self.upto = 0  # everything below this UID was claimed by someone (or looked at)

    def add(self, first: int, upto: int):
        self.upto = max(self.upto, upto)
        if upto <= first:
            return
        if self.ranges and self.ranges[-1][1] >= first:
            self.ranges[-1] = (self.ranges[-1][0], max(self.ranges[-1][1], upto))
        else:
            self.ranges.append((first, upto))

    def __contains__(self, uid: int) -> bool:
        index = bisect.bisect_right(self.ranges, (uid, float("inf"))) - 1
        return index >= 0 and self.ranges[index][0] <= uid < self.ranges[index][1]

    def count(self, uids) -> int:
        """How many of these UIDs (ascending) are recent."""
        return sum(bisect.bisect_left(uids, upto) - bisect.bisect_left(uids, first) for first, upto in self.ranges)

    def among(self, uids) -> list[int]:
        """The recent ones of these UIDs (ascending)."""
        found = []
        for first, upto in self.ranges:
            found.extend(uids[bisect.bisect_left(uids, first):bisect.bisect_left(uids, upto)])
        return found


def recent_key(session, name: str) -> tuple:
    r"""RFC 3501 §6.4.4: the search keys RECENT, NEW (recent and unseen) and OLD (not
    recent) as store criteria, with \Recent as this session holds it now."""
    recent = ("uids", [(first, upto - 1) for first, upto in session.recent.ranges])
    return {"RECENT": recent, "NEW": ("and", [recent, ("flag", "seen", False)]), "OLD": ("not", recent)}[name]


def bind_recent(session, criteria: tuple) -> tuple:
    """Criteria with their ("recent", key) parts made store criteria as the session holds
    \\Recent now: at once for a search, at each check for a live one (imap/searchcontext.py),
    as mail that arrives later becomes recent."""
    kind = criteria[0]
    if kind == "recent":
        return recent_key(session, criteria[1])
    if kind == "and":
        return ("and", [bind_recent(session, part) for part in criteria[1]])
    if kind == "or":
        return ("or", bind_recent(session, criteria[1]), bind_recent(session, criteria[2]))
    if kind == "not":
        return ("not", bind_recent(session, criteria[1]))
    return criteria


def with_recent(flags, recent: bool) -> list[str]:
    """A message's flags as this session shows them: \\Recent after the system flags,
    before the keywords (Dovecot's order)."""
    flags = list(flags)
    if not recent:
        return flags
    system = sum(1 for flag in flags if flag.startswith("\\"))
    return [*flags[:system], RECENT, *flags[system:]]
