"""The outcome of checking one expected record against what DNS answers."""
from dataclasses import dataclass

# ok: as expected; warn: works, but worth a look; missing: not in DNS; wrong: in DNS with
# a value that breaks mail; error: DNS did not answer now, so nothing is known.
STATUSES = ("ok", "warn", "missing", "wrong", "error")


@dataclass(frozen=True)
class Result:
    key: str  # the Record's key
    status: str  # one of STATUSES
    message: str  # what was found, in plain words
    fix: str = ""  # what to change; empty when nothing needs doing
    found: tuple[str, ...] = ()  # the values DNS answered
