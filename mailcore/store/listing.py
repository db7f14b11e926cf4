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

from .models import Message
from .search.operators import parse
from .sortkeys import ordering as sort_terms

# The list's sort keys and the IMAP SORT criterion each is (sortkeys.py). "from" is the
# sender's display name, as SORT DISPLAYFROM (RFC 5957); "to" the first recipient's, for
# Sent and Drafts. Subject and sender sort by the same values as SORT SUBJECT and
# DISPLAYFROM (the base subject, RFC 5256 §2.1; the display name) in reading order
# (Vietnamese collation, numbers by value: reading_order.py), not SORT's byte order of
# the case-mapped key. Each has a (folder, key) index in models.py.
SORTS = {
    "date": "ARRIVAL",
    "from": "READING-DISPLAYFROM",
    "to": "DISPLAYTO",
    "subject": "READING-SUBJECT",
    "size": "SIZE",
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
    """ORDER BY terms of the list sorted by one key; the row id breaks ties, so a
    descending list is exactly the ascending one reversed."""
    return [*sort_terms([(SORTS.get(sort, SORTS["date"]), descending)]), "-id" if descending else "id"]


def message_page(queryset, sort="date", descending=True, offset=0, limit=50) -> Page:
    """One page of messages from queryset (a folder's, or search results)."""
    total = queryset.count()
    offset = max(0, min(offset, max(total - 1, 0)))
    ids = list(queryset.order_by(*ordering(sort, descending)).values_list("id", flat=True)[offset:offset + limit])
    by_id = Message.objects.only(*LIST_COLUMNS).in_bulk(ids)
    return Page([by_id[pk] for pk in ids if pk in by_id], total, offset, limit)


WALK_LIMIT = 1000  # conversations; deeper pages group the whole folder instead
WALK_CHUNK = 500


def conversation_page(queryset, descending=True, offset=0, limit=50) -> Page:
    """One page of conversations, newest activity first: each row is its newest message.

    The first pages walk the folder newest first along the date index, collecting
    threads until the page is full: a few hundred index steps, however big the folder.
    Deeper pages, and oldest-first order, group the whole folder by thread.
    """
    total = queryset.values("thread").distinct().order_by().count()
    offset = max(0, min(offset, max(total - 1, 0)))
    if descending and offset + limit <= WALK_LIMIT:
        newest = _walk_threads(queryset, offset + limit)[offset:]
    else:
        latest = "-latest" if descending else "latest"
        newest = list(queryset.values("thread").order_by().annotate(latest=Max("internal_date"), newest=Max("uid"))
                      .order_by(latest, "thread").values_list("thread", "newest")[offset:offset + limit])
    threads = [thread for thread, _uid in newest]
    counts = {row["thread"]: (row["messages"], row["unread"]) for row in
              queryset.filter(thread__in=threads).values("thread").order_by()
              .annotate(messages=Count("id"), unread=Count("id", filter=Q(seen=False)))}
    by_uid = {m.uid: m for m in queryset.filter(uid__in=[uid for _thread, uid in newest]).only(*LIST_COLUMNS)}
    rows = [by_uid[uid] for _thread, uid in newest if uid in by_uid]
    return Page(rows, total, offset, limit, counts)


def _walk_threads(queryset, wanted: int) -> list[tuple[str, int]]:
    """[(thread, uid of its newest message)] for the `wanted` most recently active threads."""
    found: dict[str, int] = {}
    ordered = queryset.order_by("-internal_date", "-id").values_list("thread", "uid")
    start = 0
    while len(found) < wanted:
        chunk = list(ordered[start:start + WALK_CHUNK])
        for thread, uid in chunk:
            found.setdefault(thread, uid)
            if len(found) == wanted:
                break
        if len(chunk) < WALK_CHUNK:
            break
        start += WALK_CHUNK
    return list(found.items())


def thread_messages(folder, thread: str):
    """The messages of one conversation in a folder, oldest first."""
    return list(Message.objects.filter(folder=folder, thread=thread)
                .order_by("internal_date", "id").only(*LIST_COLUMNS))


def folder_page(folder_id: int, sort="date", descending=True, offset=0, limit=50) -> Page:
    """One page of a folder's messages."""
    return message_page(Message.objects.filter(folder_id=folder_id), sort, descending, offset, limit)


def folder_conversations(folder_id: int, descending=True, offset=0, limit=50) -> Page:
    """One page of a folder's conversations."""
    return conversation_page(Message.objects.filter(folder_id=folder_id), descending, offset, limit)


def search_page(account_id: int, query: str, tz, sort="date", descending=True, offset=0, limit=50) -> Page:
    """One page of the account's messages matching a search box query (search.operators);
    raises ValidationError for a query that cannot be understood."""
    found = parse(query, tz).apply(Message.objects.filter(account_id=account_id), account_id)
    return message_page(found, sort, descending, offset, limit)


def neighbours(message) -> tuple[int | None, int | None]:
    """UIDs of the newer and older message in the folder's date order (one query each)."""
    same_folder = Message.objects.filter(folder_id=message.folder_id).exclude(pk=message.pk)
    when, uid = message.internal_date, message.uid
    newer = same_folder.filter(Q(internal_date__gt=when) | Q(internal_date=when, uid__gt=uid))
    older = same_folder.filter(Q(internal_date__lt=when) | Q(internal_date=when, uid__lt=uid))
    return (newer.order_by("internal_date", "uid").values_list("uid", flat=True).first(),
            older.order_by("-internal_date", "-uid").values_list("uid", flat=True).first())


def thread_uids(folder_id: int, threads) -> list[int]:
    """UIDs of every message of these conversations in a folder."""
    return list(Message.objects.filter(folder_id=folder_id, thread__in=list(threads)).values_list("uid", flat=True))


def folder_uids(folder_id: int) -> list[int]:
    return list(Message.objects.filter(folder_id=folder_id).order_by("uid").values_list("uid", flat=True))
