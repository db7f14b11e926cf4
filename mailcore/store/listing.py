"""Message lists as mail clients page through them: sorted, counted, one page at a time.

The webmail's folder and search views come here. A page costs two queries: the ids of
the page, walked along an index whose key is exactly the sort key (so a deep page skips
index entries, not rows), then those rows' list columns (never the MIME structure or
envelope). The row id breaks ties, so pages never overlap. Messages flagged \\Deleted
but not expunged (an IMAP client's doing) are listed, shown struck through, as
Roundcube does.

Conversations group a folder's messages by Message.thread (mime.summary.thread_key): a
page of conversations is one GROUP BY over the covering (folder, thread, ...) index.
"""
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q

from .models import SENDER_SORT_KEY, SUBJECT_SORT_KEY, Message

# Sort keys the list offers (RFC 5256 SORT criteria ARRIVAL, FROM, SUBJECT, SIZE); each
# has a (folder, key) index in models.py.
SORTS = {
    "date": ("internal_date",),
    "from": (SENDER_SORT_KEY,),
    "subject": (SUBJECT_SORT_KEY,),
    "size": ("size",),
}
LIST_COLUMNS = ("id", "folder_id", "uid", "seen", "flagged", "answered", "draft", "deleted", "internal_date", "date",
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


def ordering(sort: str, descending: bool) -> list:
    columns = (*SORTS.get(sort, SORTS["date"]), "id")
    if descending:
        return [column.desc() if hasattr(column, "desc") else f"-{column}" for column in columns]
    return list(columns)


def message_page(queryset, sort="date", descending=True, offset=0, limit=50) -> Page:
    """One page of messages from queryset (a folder's, or search results)."""
    total = queryset.count()
    offset = max(0, min(offset, max(total - 1, 0)))
    ids = list(queryset.order_by(*ordering(sort, descending)).values_list("id", flat=True)[offset:offset + limit])
    by_id = Message.objects.only(*LIST_COLUMNS).in_bulk(ids)
    return Page([by_id[pk] for pk in ids if pk in by_id], total, offset, limit)


def conversation_page(queryset, descending=True, offset=0, limit=50) -> Page:
    """One page of conversations, newest activity first: each row is its newest message."""
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
    return list(Message.objects.filter(folder=folder, thread=thread)
                .order_by("internal_date", "id").only(*LIST_COLUMNS))
