"""IMAP SORT (RFC 5256 §3, RFC 5957 §4) over one folder's messages matching search criteria.

    sort_uids(folder_id, account_id, criteria, [("SUBJECT", False), ("DATE", True)])

One query: the matching messages ordered by the criteria (sortkeys.ordering: dates and
sizes as stored, text keys as stored at append in their compared form), then by UID,
so ties stay in mailbox order as §3 asks, reversed criteria included.
"""
from ..sortkeys import ORDER_KEYS, ordering
from .criteria import matching

CRITERIA = tuple(ORDER_KEYS)


def sort_uids(folder_id: int, account_id: int, criteria, order: list[tuple[str, bool]]) -> list[int]:
    """Blocking: the UIDs of the matching messages in the order [(criterion, reversed)] gives."""
    matches = matching(folder_id, account_id, criteria)
    return list(matches.order_by(*ordering(order), "uid").values_list("uid", flat=True))
