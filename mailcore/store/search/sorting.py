"""IMAP SORT (RFC 5256 §3) over one folder's messages matching search criteria.

    sort_uids(folder_id, account_id, criteria, [("SUBJECT", False), ("DATE", True)])

Arrival, date and size orders are the database's (ORDER BY ..., uid). With a subject or
address criterion the matching messages are ordered here by the keys stored at append
(search/text.py: base subject, addr-mailbox of the first address), each criterion a
stable sort from the last to the first over the UID order, so ties stay in mailbox
order as §3 asks, reversed criteria included.

Strings compare with i;ascii-casemap (RFC 4790 §9.2, RFC 5256 §3: a-z as A-Z, then
octet by octet); other letters are first decomposed (NFKD) and upper-cased, close to
RFC 5051's i;unicode-casemap, so "Báo" sorts beside "Bao".
"""
import unicodedata

from django.db.models import F, Window
from django.db.models.functions import Coalesce, Rank

from .criteria import matching

# Criteria the database can order by itself (uid last: ties in mailbox order, even reversed).
SQL_ORDER = {"ARRIVAL": F("internal_date"), "DATE": Coalesce("date", "internal_date"), "SIZE": F("size")}
# Criteria read from the body's stored sort keys.
KEY_COLUMNS = {"SUBJECT": "blob__search_text__sort_subject", "FROM": "blob__search_text__sort_from",
               "TO": "blob__search_text__sort_to", "CC": "blob__search_text__sort_cc"}
CRITERIA = (*SQL_ORDER, *KEY_COLUMNS)


def casemap(text: str | None) -> str:
    """The form two sort keys are compared in (i;ascii-casemap, extended as above)."""
    if not text:
        return ""
    if text.isascii():
        return text.upper()
    return unicodedata.normalize("NFKD", text).upper()


def sort_uids(folder_id: int, account_id: int, criteria, order: list[tuple[str, bool]]) -> list[int]:
    """Blocking: the UIDs of the matching messages in the order [(criterion, reversed)] gives."""
    matches = matching(folder_id, account_id, criteria)
    if all(name in SQL_ORDER for name, _reverse in order):  # columns only: the database sorts
        by = [SQL_ORDER[name].desc() if reverse else SQL_ORDER[name].asc() for name, reverse in order]
        return list(matches.order_by(*by, "uid").values_list("uid", flat=True))
    # Here in Python; columns come as ranks, as converting 100,000 dates to datetime costs
    # more than sorting them.
    columns = {"uid"}
    for name in {name for name, _reverse in order}:
        if name in SQL_ORDER:
            matches = matches.annotate(**{f"{name}_rank": Window(Rank(), order_by=SQL_ORDER[name].asc())})
            columns.add(f"{name}_rank")
        else:
            matches = matches.annotate(**{f"{name}_key": F(KEY_COLUMNS[name])})
            columns.add(f"{name}_key")
    rows = list(matches.order_by("uid").values(*columns))
    for name in {name for name, _reverse in order if name in KEY_COLUMNS}:
        for row in rows:
            row[f"{name}_key"] = casemap(row[f"{name}_key"])
    for name, reverse in reversed(order):  # stable: earlier criteria decide, ties keep UID order
        key = f"{name}_rank" if name in SQL_ORDER else f"{name}_key"
        rows.sort(key=lambda row, key=key: row[key], reverse=reverse)
    return [row["uid"] for row in rows]
