"""PostgreSQL full-text backend: a tsvector per message under the `hopthu_search`
configuration (the simple dictionary behind unaccent), fields weighted A-D so a query
can name one field (sender A, recipients B, subject C, body D).
"""
from django.db import connection
from django.db.models.expressions import RawSQL

TABLE = "store_message_search"
CONFIG = "hopthu_search"
WEIGHTS = {"sender": "A", "recipients": "B", "subject": "C", "body": "D"}
CREATE_SQL = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    f"""DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{CONFIG}') THEN
            CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = simple);
            ALTER TEXT SEARCH CONFIGURATION {CONFIG}
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
        END IF;
    END $$""",
    f"""CREATE TABLE IF NOT EXISTS {TABLE} (
        -- No foreign key: Django's flush truncates store_message alone, and a cascade
        -- would hide deletes the store forgot. Entries of messages deleted by an account
        -- cascade are collected by gc.collect_index_entries.
        message_id bigint PRIMARY KEY,
        account_id bigint NOT NULL,
        document tsvector NOT NULL)""",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_document ON {TABLE} USING gin (document)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_account ON {TABLE} (account_id)",
]
DROP_SQL = [f"DROP TABLE IF EXISTS {TABLE}", f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}"]

_DOCUMENT_SQL = " || ".join(
    f"setweight(to_tsvector('{CONFIG}', %s), '{weight}')" for weight in WEIGHTS.values()
)


def insert(cursor, message_id, account_id, values):
    cursor.execute(
        f"INSERT INTO {TABLE} (message_id, account_id, document) VALUES (%s, %s, {_DOCUMENT_SQL})",
        [message_id, account_id, *(values[name] for name in WEIGHTS)],
    )


def copy(pairs):
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {TABLE} (message_id, account_id, document) "
            f"SELECT %s, account_id, document FROM {TABLE} WHERE message_id = %s",
            [(new, old) for old, new in pairs],
        )


def delete(message_ids):
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE message_id = ANY(%s)", [list(message_ids)])


def _phrase(tokens, weight):
    # Tokens are words of letters and digits only (search.words): quoting them keeps the
    # tsquery grammar out. The last word is a prefix, as a user typing "hoa d" expects.
    label = f":{weight}" if weight else ""
    quoted = [f"'{token}'{label}" for token in tokens[:-1]]
    quoted.append(f"'{tokens[-1]}':*{weight}")
    return "(" + " <-> ".join(quoted) + ")"


def tsquery(clauses):
    """Build a to_tsquery string: each clause a phrase (words joined by <->), all ANDed.

    The fields are concatenated into one tsvector, so the last word of one field sits
    next to the first word of the following one. A phrase that may match any field is
    therefore asked for field by field, so it never spans two (as in FTS5).
    """
    parts = []
    for field, tokens in clauses:
        if field:
            parts.append(_phrase(tokens, WEIGHTS[field]))
        elif len(tokens) == 1:
            parts.append(_phrase(tokens, ""))
        else:
            parts.append("(" + " | ".join(_phrase(tokens, w) for w in WEIGHTS.values()) + ")")
    return " & ".join(parts)


def filter(queryset, account_id, clauses):
    return queryset.filter(
        account_id=account_id,
        pk__in=RawSQL(
            f"SELECT message_id FROM {TABLE} WHERE account_id = %s "
            f"AND document @@ to_tsquery('{CONFIG}', %s)",
            [account_id, tsquery(clauses)],
        ),
    )
