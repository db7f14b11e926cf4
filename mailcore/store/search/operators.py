"""The search box's language (webmail): free text and Gmail-style operators.

    parse("from:an is:unread in:inbox \"hóa đơn\" larger:1M after:2026-01-31", tz) -> MailQuery
    MailQuery.apply(Message.objects.filter(account=...), account_id) -> QuerySet

`from:`, `to:` and `subject:` narrow the index to one field; `has:attachment`,
`is:unread|read|flagged|unflagged|answered`, `in:FOLDER`, `before:`/`after:` (a date in
the user's time zone; `after:` includes the day, `before:` does not), `larger:`/`smaller:`
(sizes as 500K, 2M) filter the columns; "quoted phrases" and other words are free text,
matched accent-insensitively through the index. A word with an unknown operator
("re:", "https://...") is free text, as in Gmail. A bad value raises ValidationError
keyed "q", naming the operator, so the page can say what to fix.
"""
import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from mailcore.sizes import parse_size

from . import SearchQuery, filter_messages

# operator:"quoted value", operator:value, "a phrase", or a word
_TOKEN_RE = re.compile(r'(?:(\w+):)?(?:"([^"]*)"?|(\S+))')
_FIELD_OPERATORS = {"from": "sender", "to": "recipients", "subject": "subject"}
_FLAGS = {"unread": Q(seen=False), "read": Q(seen=True), "flagged": Q(flagged=True),
          "unflagged": Q(flagged=False), "answered": Q(answered=True)}
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%d/%m/%Y")


@dataclass
class MailQuery:
    words: SearchQuery = field(default_factory=SearchQuery)
    filters: list[Q] = field(default_factory=list)
    folder: str | None = None  # in:NAME, as typed

    def apply(self, queryset, account_id: int):
        """Narrow a Message queryset to the account's messages matching the query."""
        from mailcore.store.models import Folder

        if self.folder is not None:
            folder = _find_folder(Folder.objects.filter(account_id=account_id), self.folder)
            queryset = queryset.filter(folder=folder)
        for condition in self.filters:
            queryset = queryset.filter(condition)
        return filter_messages(queryset, account_id, self.words)


def _find_folder(folders, name: str):
    """A folder by its name (any case) or its special use: in:sent, in:trash, in:junk."""
    wanted = name.casefold()
    for folder in folders.only("id", "name", "special_use"):
        if folder.name.casefold() == wanted or folder.special_use.lstrip("\\").casefold() == wanted:
            return folder
    raise ValidationError({"q": _("in: there is no folder named %(name)s.") % {"name": name}})


def _date(operator: str, value: str, tz: dt.tzinfo) -> dt.datetime:
    for form in _DATE_FORMATS:
        try:
            day = dt.datetime.strptime(value, form).date()
        except ValueError:
            continue
        return dt.datetime.combine(day, dt.time(), tzinfo=tz)
    raise ValidationError({"q": _("%(operator)s: %(value)s is not a date; write it as 2026-01-31.")
                                % {"operator": operator, "value": value}})


def _size(operator: str, value: str) -> int:
    try:
        return parse_size(value)
    except ValueError:
        raise ValidationError({"q": _("%(operator)s: %(value)s is not a size; write it as 500K or 2M.")
                                    % {"operator": operator, "value": value}}) from None


def parse(text: str, tz: dt.tzinfo = dt.UTC) -> MailQuery:
    query = MailQuery()
    for match in _TOKEN_RE.finditer(text or ""):
        operator, quoted, bare = match.group(1), match.group(2), match.group(3)
        value = quoted if quoted is not None else (bare or "")
        name = (operator or "").lower()
        if name in _FIELD_OPERATORS:
            getattr(query.words, _FIELD_OPERATORS[name]).append(value)
        elif name == "has" and value.lower() in ("attachment", "attachments"):
            query.filters.append(Q(has_attachments=True))
        elif name == "is" and value.lower() in _FLAGS:
            query.filters.append(_FLAGS[value.lower()])
        elif name == "in" and value:
            query.folder = value
        elif name == "after":
            query.filters.append(Q(internal_date__gte=_date(name, value, tz)))
        elif name == "before":
            query.filters.append(Q(internal_date__lt=_date(name, value, tz)))
        elif name == "larger":
            query.filters.append(Q(size__gt=_size(name, value)))
        elif name == "smaller":
            query.filters.append(Q(size__lt=_size(name, value)))
        elif name in ("has", "is"):
            raise ValidationError({"q": _("%(operator)s: %(value)s is not something to search for.")
                                        % {"operator": name, "value": value}})
        else:  # free text, an unknown "operator" included
            query.words.text.append(match.group(0).strip('"') if operator else value)
    return query
