"""The search index, one interface over SQLite FTS5 and PostgreSQL full text.

IMAP SEARCH, the webmail search box and the bench all come here. Each stored message
has one index entry (its row id) with four fields: sender, recipients, subject, body.
Matching ignores case and diacritics, so "hoa don" finds "Hóa đơn". Both the indexed
text and the query go through words() here, which folds case, compatibility forms and
diacritics itself: the engines then see the same plain words, whatever their tokenizer,
locale or the form the text came in (NFD from macOS, combining tone marks from
windows-1258, "đ" which has no decomposition at all).

    filter_messages(Message.objects.filter(folder=f), account_id, query) -> QuerySet
"""
import re
from dataclasses import dataclass, field

from django.db import connection

from mailcore.folding import words

from . import postgres, sqlite

FIELDS = ("sender", "recipients", "subject", "body")
MAX_INDEXED_CHARS = 200_000  # per field; PostgreSQL refuses a tsvector over 1 MB
MAX_TERMS = 32
_TERM_RE = re.compile(r'"([^"]*)"|(\S+)')


def prepare(text: str) -> str:
    """Return text as space-separated words, the form both engines index."""
    return " ".join(words(text[:MAX_INDEXED_CHARS] if text else ""))


@dataclass
class SearchQuery:
    """Terms that must all match; each term is a word or phrase, matched as a prefix.

    `text` terms may match any field; the others only their field.
    """

    text: list[str] = field(default_factory=list)
    sender: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    subject: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)

    def clauses(self) -> list[tuple[str | None, list[str]]]:
        """Return [(field or None for any, [words of one phrase])], empty phrases dropped."""
        result = []
        for name in ("text", *FIELDS):
            for term in getattr(self, name):
                tokens = words(term)
                if tokens:
                    result.append((None if name == "text" else name, tokens))
        return result[:MAX_TERMS]

    def is_empty(self) -> bool:
        return not self.clauses()


def split_terms(text: str) -> list[str]:
    """Split free text into terms; "quoted phrases" stay together."""
    return [quoted or bare for quoted, bare in _TERM_RE.findall(text or "")]


def _backend():
    return postgres if connection.vendor == "postgresql" else sqlite


def index_values(summary) -> dict:
    """The index entry of a message: its fields as folded words, made once per message."""
    return {
        "sender": prepare(f"{summary.from_name} {summary.from_address}"),
        "recipients": prepare(f"{summary.to_addresses} {summary.cc_addresses}"),
        "subject": prepare(summary.subject),
        "body": prepare(" ".join([summary.body_text, *summary.attachment_names])),
    }


def insert_entry(cursor, message_id: int, account_id: int, values: dict):
    """Add a freshly appended message to the index, inside the append's transaction."""
    _backend().insert(cursor, message_id, account_id, values)


def copy_entries(pairs: list[tuple[int, int]]):
    """Give copied messages the index entries of their originals: [(old id, new id)]."""
    if pairs:
        _backend().copy(pairs)


def remove_entries(message_ids: list[int]):
    if message_ids:
        _backend().delete(message_ids)


def filter_messages(queryset, account_id: int, query: SearchQuery):
    """Narrow a Message queryset to one account's messages matching query.

    A query with no words in it ("*", '""', "!!") matches all of the account's messages,
    never anyone else's.
    """
    clauses = query.clauses()
    if not clauses:
        return queryset.filter(account_id=account_id)
    return _backend().filter(queryset, account_id, clauses)
