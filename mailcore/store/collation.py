"""How stored sort keys compare: the comparator of IMAP SORT, used by every client.

RFC 5256 §3 compares strings with i;ascii-casemap (RFC 4790 §9.2: a-z as A-Z, then
octet by octet); RFC 5957 §7 and RFC 5255 let a server use its active comparator. Here
non-ASCII text is first decomposed (NFKD) and upper-cased, close to RFC 5051's
i;unicode-casemap, so "Báo" sorts beside "Bao".

A key is stored already in that form (sort_key), so comparing two is comparing their
code points, which is UTF-8's octet order: the database orders them itself (OctetOrder).
"""
import unicodedata

from django.db import models

from mailcore.mime.text import scrub

# Keys are cut here: past 200 characters two subjects or names rarely differ, and a
# B-tree key must stay small (PostgreSQL refuses index rows over about 2,700 bytes).
MAX_KEY_CHARS = 200


def casemap(text: str | None) -> str:
    """The form two sort keys are compared in (i;ascii-casemap, extended as above)."""
    if not text:
        return ""
    if text.isascii():
        return text.upper()
    return unicodedata.normalize("NFKD", text).upper()


def sort_key(text: str | None) -> str:
    """A stored sort key: casemapped, cut to MAX_KEY_CHARS, safe for any database."""
    return scrub(casemap(text)[:MAX_KEY_CHARS])


class OctetOrder(models.Func):
    """A stored key compared octet by octet, whatever the database's locale. SQLite's
    default collation (BINARY) already is; PostgreSQL's follows the database's locale
    (en_US orders "_" and "a" as a dictionary does), so there it is COLLATE "C".

    An index on a key is made on this same expression, so a sorted page walks it."""

    template = "%(expressions)s"
    output_field = models.CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template='(%(expressions)s COLLATE "C")', **extra_context)
