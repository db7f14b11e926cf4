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
        message_id bigint PRIMARY KEY REFERENCES store_message(id) ON DELETE CASCADE
            DEFERRABLE INITIALLY DEFERRED,
        account_id bigint NOT NULL,
        document tsvector NOT NULL)""",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_document ON {TABLE} USING gin (document)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_account ON {TABLE} (account_id)",
]
DROP_SQL = [f"DROP TABLE IF EXISTS {TABLE}", f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}"]

_DOCUMENT_SQL = " || ".join(
    f"setweight(to_tsvector('{CONFIG}', %s), '{weight}')" for weight in WEIGHTS.values()
)


def insert(message_id, account_id, values):
    with connection.cursor() as cursor:
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


def tsquery(clauses):
    """Build a to_tsquery string: words joined by <-> (phrase), last word a prefix."""
    parts = []
    for field, tokens in clauses:
        weight = WEIGHTS[field] if field else ""
        # Each token is a \\w+ word; quoting keeps the tsquery grammar out of it.
        quoted = [f"'{token}'" for token in tokens]
        quoted[-1] += f":*{weight}"
        if weight:
            quoted[:-1] = [f"{q}:{weight}" for q in quoted[:-1]]
        parts.append("(" + " <-> ".join(quoted) + ")")
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
