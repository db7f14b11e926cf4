"""Message lists as mail clients page through them: sorted, counted, one page at a time.

The webmail's folder and search views come here. A page is one query over the columns a
list shows (never the MIME structure or envelope), ordered by an indexed column where
one exists, with the UID as tie-breaker so pages never overlap. Messages flagged
\\Deleted but not yet expunged (an IMAP client's business) are left out.

Conversations group a folder's messages by Message.thread (mime.summary.thread_key): a
page of conversations is one GROUP BY over the (folder, thread, internal_date) index.
"""
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q, Value
from django.db.models.functions import Coalesce, Lower, NullIf

from .models import Message

# Sort keys the list offers (RFC 5256 SORT criteria ARRIVAL, FROM, SUBJECT, SIZE); text
# sorts ignore case, as people read them.
SORTS = {
    "date": ("internal_date",),
    "from": (Lower(Coalesce(NullIf("from_name", Value("")), "from_address")), Lower("from_address")),
    "subject": (Lower("subject"),),
    "size": ("size",),
}
LIST_COLUMNS = ("id", "folder_id", "uid", "seen", "flagged", "answered", "draft", "internal_date", "date",
                "subject", "from_name", "from_address", "to_addresses", "size", "has_attachments",
                "preview", "thread")


@dataclass
class Page:
    rows: list
    total: int
    offset: int
    limit: int
    counts: dict = field(default_factory=dict)  # conversations: thread -> (messages, unread)

    @property
    def has_previous(self):
        return self.offset > 0

    @property
    def has_next(self):
        return self.offset + self.limit < self.total

    @property
    def first(self):
        return self.offset + 1 if self.rows else 0

    @property
    def last(self):
        return self.offset + len(self.rows)


def visible(queryset):
    return queryset.filter(deleted=False)


def ordering(sort: str, descending: bool) -> list:
    columns = (*SORTS.get(sort, SORTS["date"]), "uid")
    if descending:
        return [column.desc() if hasattr(column, "desc") else f"-{column}" for column in columns]
    return list(columns)


def message_page(queryset, sort="date", descending=True, offset=0, limit=50) -> Page:
    """One page of messages from queryset (a folder's, or search results)."""
    queryset = visible(queryset)
    total = queryset.count()
    offset = max(0, min(offset, max(total - 1, 0)))
    rows = list(queryset.order_by(*ordering(sort, descending)).only(*LIST_COLUMNS)[offset:offset + limit])
    return Page(rows, total, offset, limit)


def conversation_page(queryset, descending=True, offset=0, limit=50) -> Page:
    """One page of conversations, newest activity first: each row is its newest message."""
    queryset = visible(queryset)
    groups = queryset.values("thread").order_by()
    total = groups.distinct().count()
    offset = max(0, min(offset, max(total - 1, 0)))
    latest = "-latest" if descending else "latest"
    page = list(groups.annotate(latest=Max("internal_date"), newest=Max("uid"), messages=Count("id"),
                                unread=Count("id", filter=Q(seen=False)))
                .order_by(latest, "thread")[offset:offset + limit])
    newest = {row["newest"] for row in page}
    by_uid = {m.uid: m for m in queryset.filter(uid__in=newest).only(*LIST_COLUMNS)}
    rows = [by_uid[row["newest"]] for row in page if row["newest"] in by_uid]
    counts = {row["thread"]: (row["messages"], row["unread"]) for row in page}
    return Page(rows, total, offset, limit, counts)


def thread_messages(folder, thread: str):
    """The messages of one conversation in a folder, oldest first."""
    return list(visible(Message.objects.filter(folder=folder, thread=thread))
                .order_by("internal_date", "uid").only(*LIST_COLUMNS))
