"""IMAP search criteria (RFC 9051 §6.4.4, RFC 3501 §6.4.4) over one folder's messages.

The IMAP parser (mailcore/imap/commands/search.py) hands over plain tuples; this module
turns them into one Django query, so NOT and OR compose with every key:

    ("all",)  ("none",)  ("and", [c, ...])  ("or", c, c)  ("not", c)
    ("flag", "seen", True)           a system flag column
    ("keyword", "$Label")            a keyword is set
    ("uids", [(low, high), ...])     UID ranges (sequence sets resolved by the session)
    ("size", "larger"|"smaller", n)  ("modseq", n)
    ("date", "before"|"on"|"since", date)       internal date, day in the server's zone
    ("sent", "before"|"on"|"since", date)       the Date field's day in its own zone
    ("text", "body"|"text"|"subject"|"from"|"to"|"cc"|"bcc", string)
    ("header", field-name, string)

Text keys are case-insensitive substring matches on the folded text of search/text.py.
For BODY and TEXT, whose text is long, the word index narrows the candidates when the
string holds a word that must be whole in the message (every word after the first, or
the first when the string starts with a space or a sign); the substring check then
decides on those alone. A string inside one word ("sdfghjk") can't use the index: the
folder's text is scanned (docs/performance.md has the figures).
"""
import json
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import Exists, OuterRef, Q, TextField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.utils import timezone

from ..models import Message, SearchText
from . import SearchQuery, filter_messages
from .text import WORD_RE, fold

FLAG_COLUMNS = ("seen", "answered", "flagged", "deleted", "draft")
TEXT_COLUMNS = {"subject": "subject", "from": "from_text", "to": "to_text", "cc": "cc_text", "bcc": "bcc_text"}
EPOCH = date(1970, 1, 1)
MAX_RANGES = 64  # more UID ranges than this are sent as one list


def _text(**lookups) -> Q:
    """The message's body text matches lookups: one primary-key probe per message.

    Substrings are `contains` (LIKE '%...%', wildcards escaped): both sides are folded, so
    SQLite's LIKE ignoring ASCII case changes nothing, and it scans text about ten times
    faster than instr(), which counts characters as it goes."""
    return Q(Exists(SearchText.objects.filter(blob_id=OuterRef("blob_id"), **lookups)))


def search_uids(folder_id: int, account_id: int, criteria) -> list[tuple[int, int]]:
    """Blocking: [(uid, modseq)] of the folder's messages matching criteria, in UID order."""
    return list(matching(folder_id, account_id, criteria).order_by("uid").values_list("uid", "modseq"))


def matching(folder_id: int, account_id: int, criteria):
    """The folder's messages matching criteria, as a queryset (SORT orders it)."""
    base = Message.objects.filter(folder_id=folder_id)
    query = _Translator(base, account_id).condition(criteria)
    return base.annotate(keywords_text=Cast("keywords", TextField())).filter(query)


def _id_list(column: str, ids: list[int]) -> Q:
    """column IN ids, as one parameter whatever the count (SQLite's variables are limited)."""
    if len(ids) <= 500:
        return Q(**{f"{column}__in": ids})
    if connection.vendor == "postgresql":
        return Q(**{f"{column}__in": RawSQL("SELECT unnest(%s::bigint[])", [ids])})
    return Q(**{f"{column}__in": RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)])})


class _Translator:
    def __init__(self, base, account_id: int):
        self.base, self.account_id = base, account_id

    def condition(self, criterion) -> Q:
        kind, *args = criterion
        if kind == "all":
            return Q()
        if kind == "none":
            return Q(pk__in=[])
        if kind == "and":
            query = Q()
            for part in args[0]:
                query &= self.condition(part)
            return query
        if kind == "or":
            return self.condition(args[0]) | self.condition(args[1])
        if kind == "not":
            return ~self.condition(args[0])
        if kind == "flag":
            name, value = args
            if name not in FLAG_COLUMNS:
                raise ValueError(f"not a flag column: {name}")
            return Q(**{name: value})
        if kind == "keyword":
            # Keywords are a JSON list; its text holds each one in quotes, on every engine.
            return Q(keywords_text__icontains=json.dumps(args[0]))
        if kind == "uids":
            return self.uids(args[0])
        if kind == "size":
            return Q(size__gt=args[1]) if args[0] == "larger" else Q(size__lt=args[1])
        if kind == "modseq":
            return Q(modseq__gte=args[0])
        if kind == "date":
            return self.internal_date(*args)
        if kind == "sent":
            return self.sent_date(*args)
        if kind == "text":
            return self.text(*args)
        if kind == "header":
            return self.header(*args)
        raise ValueError(f"unknown search criterion {kind}")

    def uids(self, ranges: list[tuple[int, int]]) -> Q:
        if not ranges:
            return Q(pk__in=[])
        if len(ranges) > MAX_RANGES:
            return _id_list("uid", [uid for low, high in ranges for uid in range(low, high + 1)])
        query = Q(pk__in=[])
        for low, high in ranges:
            query |= Q(uid=low) if low == high else Q(uid__gte=low, uid__lte=high)
        return query

    def internal_date(self, kind: str, day: date) -> Q:
        """RFC 9051 §6.4.4 BEFORE/ON/SINCE: the internal date's day, time of day ignored,
        in the server's time zone (TIME_ZONE)."""
        start = timezone.make_aware(datetime.combine(day, datetime.min.time()), timezone.get_default_timezone())
        end = start + timedelta(days=1)
        if kind == "before":
            return Q(internal_date__lt=start)
        if kind == "on":
            return Q(internal_date__gte=start, internal_date__lt=end)
        return Q(internal_date__gte=start)

    def sent_date(self, kind: str, day: date) -> Q:
        """RFC 9051 §6.4.4 SENTBEFORE/SENTON/SENTSINCE: the Date field's day in the field's
        own time zone, stored at append. A message without a Date was sent, as Dovecot
        reads it, at the epoch: before any later day, on or since none."""
        lookup = {"before": "lt", "on": "exact", "since": "gte"}[kind]
        query = _text(**{f"sent_date__{lookup}": day})
        if kind == "before" and day > EPOCH:
            query |= _text(sent_date__isnull=True)
        return query

    def text(self, key: str, value: str) -> Q:
        wanted = fold(value)
        if not wanted:
            return Q()  # an empty string is in every text
        if key in TEXT_COLUMNS:  # short fields: the substring check alone
            return _text(**{f"{TEXT_COLUMNS[key]}__contains": wanted})
        body = self.narrowed(wanted) & _text(body__contains=wanted)
        if key == "body":
            return body
        # RFC 9051 §6.4.4 TEXT: the header or the body
        return _text(headers__contains=wanted) | body

    def narrowed(self, wanted: str) -> Q:
        """The candidates for a body holding `wanted`, from the word index; Q() when the
        index can't tell (no word of `wanted` is sure to be whole in the message)."""
        found = list(WORD_RE.finditer(wanted))
        if found and found[0].start() == 0:
            found = found[1:]  # the first word may end a longer one ("sdfghjk" in "asdfghjkl")
        if not found:
            return Q()
        # The rest are whole words, the last a prefix: one phrase, as the webmail asks it.
        phrase = " ".join(match.group() for match in found)
        hits = filter_messages(self.base, self.account_id, SearchQuery(body=[phrase])).values("pk")
        # Past MAX_INDEXED_CHARS the index holds no words: such bodies are read whole.
        return Q(pk__in=hits) | Q(blob_id__in=SearchText.objects.filter(beyond_index=True).values("blob_id"))

    def header(self, field: str, value: str) -> Q:
        """RFC 9051 §6.4.4 HEADER: messages with that field whose value includes the string;
        an empty string asks only for the field."""
        field = field.lower()
        line_start = f"\n{fold(field)}:"
        wanted = fold(value)
        has_field = _text(headers__contains=line_start)
        if not wanted:
            return has_field
        if field in TEXT_COLUMNS:
            return has_field & _text(**{f"{TEXT_COLUMNS[field]}__contains": wanted})
        # Other fields live in the headers text: the database finds messages with the field
        # and the string somewhere in the header, then each candidate's lines are read.
        candidates = self.base.filter(has_field, _text(headers__contains=wanted))
        found = [pk for pk, headers in candidates.values_list("pk", "blob__search_text__headers")
                 if _field_includes(headers, line_start, wanted)]
        return _id_list("pk", found)


def _field_includes(headers: str, line_start: str, wanted: str) -> bool:
    """Some `line_start` line of the folded headers has `wanted` in its value."""
    at = headers.find(line_start)
    while at >= 0:
        end = headers.find("\n", at + 1)
        if wanted in headers[at + len(line_start):end]:
            return True
        at = headers.find(line_start, end)
    return False
