"""The filter stage of local delivery: spam, virus and attachment policy plug in here.

Each filter looks at a queued message once, before it is expanded to mailboxes, and
says what to do with it. The default pipeline is empty (everything passes); issue 7's
spam and virus filters are added through HOPTHU_FILTERS (dotted paths of classes).
"""
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Verdict:
    """What a filter decided. The first filter that does not accept decides."""

    action: str = "accept"  # accept | reject (bounce) | discard (drop silently) | junk (deliver to Junk)
    reason: str = ""
    headers: bytes = b""  # header fields to add to every copy (e.g. X-Spam-Status)


ACCEPT = Verdict()


@dataclass
class Outcome:
    action: str = "accept"
    reason: str = ""
    headers: list = field(default_factory=list)


class MessageFilter:
    """Base class: subclasses override check(); the default accepts everything."""

    def check(self, raw: bytes, mail_from: str, recipients: list[str]) -> Verdict:
        return ACCEPT


@cache
def _pipeline(paths: tuple) -> tuple:
    return tuple(import_string(path)() for path in paths)


def pipeline() -> tuple:
    return _pipeline(tuple(getattr(settings, "HOPTHU_FILTERS", ())))


def run_filters(raw: bytes, mail_from: str, recipients: list[str]) -> Outcome:
    """Run every configured filter; headers accumulate, the first non-accept decides."""
    outcome = Outcome()
    for message_filter in pipeline():
        verdict = message_filter.check(raw, mail_from, recipients)
        if verdict.headers:
            outcome.headers.append(verdict.headers)
        if verdict.action != "accept":
            outcome.action, outcome.reason = verdict.action, verdict.reason
            break
    return outcome
