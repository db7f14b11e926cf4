"""The sort keys kept with each message, and the one way every client orders by them.

IMAP SORT (RFC 5256 §3, RFC 5957) and the webmail's message list order messages by the
same stored values, so "Re: b" sits where it sits in both:

    Message.sort_subject          the base subject (RFC 5256 §2.1)
    Message.sort_display_from     the DISPLAY value of the first From address (RFC 5957 §4)
    Message.sort_display_to       the same of the first To address
    SearchText.sort_from/_to/_cc  the addr-mailbox of the first address (RFC 5256 §3)

and, for the webmail's list only, the same base subject and From display value in
reading order (Vietnamese collation, reading_order.py):

    Message.subject_key, Message.sender_key

Each is stored at append in the form it compares in (collation.sort_key), so ordering
by any of them is the database's ORDER BY: one query for a whole 100,000-message folder,
and an index walk for a page of the list, never a Python loop over the messages.
"""
from django.db.models import F, Value
from django.db.models.functions import Coalesce

from mailcore.mime.headers import decode_words

from . import reading_order
from .collation import OctetOrder, sort_key
from .search.text import base_subject

# Where an address list is in the stored ENVELOPE (RFC 9051 §7.5.2 order).
ENVELOPE_FROM, ENVELOPE_TO = 2, 5
MESSAGE_KEY_FIELDS = ("sort_subject", "sort_display_from", "sort_display_to")
READING_KEY_FIELDS = ("subject_key", "sender_key")


def display_value(address) -> str:
    """RFC 5957 §3, the DISPLAY sort value of one ENVELOPE address [name, adl, mailbox,
    host]: the addr-name after RFC 2047 decoding, if that is not empty; else
    mailbox@host when both are non-NIL; else the mailbox; else "".

    The address is the one FETCH ENVELOPE shows (§4), so a group start sorts by the
    group's name (in the mailbox place, undecoded) and a missing domain by its
    placeholder (`d@MISSING_DOMAIN`), as Dovecot sorts them."""
    name, _adl, mailbox, host = (list(address) + [None] * 4)[:4]
    if name:
        decoded = decode_words(name)
        if decoded:
            return decoded
    if mailbox is not None and host is not None:
        return f"{mailbox}@{host}"
    return mailbox or ""


def first_display(envelope, position: int) -> str:
    """RFC 5957 §4: the DISPLAY value of the first address of an ENVELOPE address list
    (DISPLAYFROM: From, DISPLAYTO: To); "" when the list is NIL or empty."""
    try:
        addresses = envelope[position]
    except (IndexError, KeyError, TypeError):  # no envelope, or not one this parser wrote
        return ""
    if not addresses or not isinstance(addresses[0], list | tuple):
        return ""
    return display_value(addresses[0])


def display_keys(envelope) -> dict:
    """The Message row's DISPLAYFROM and DISPLAYTO columns, from its ENVELOPE."""
    return {
        "sort_display_from": sort_key(first_display(envelope, ENVELOPE_FROM)),
        "sort_display_to": sort_key(first_display(envelope, ENVELOPE_TO)),
    }


def message_keys(subject: str, envelope) -> dict:
    """A Message row's sort columns, from its decoded Subject and its ENVELOPE."""
    return {"sort_subject": sort_key(base_subject(subject or "")), **display_keys(envelope)}


def reading_display_keys(envelope) -> dict:
    """The Message row's sender key in reading order, from its ENVELOPE."""
    return {"sender_key": reading_order.sender_key(first_display(envelope, ENVELOPE_FROM))}


def reading_keys(subject: str, envelope) -> dict:
    """A Message row's reading-order columns: the base subject and the DISPLAYFROM value
    SORT compares, in Vietnamese collation (reading_order.py)."""
    return {"subject_key": reading_order.subject_key(base_subject(subject or "")),
            **reading_display_keys(envelope)}


# Every order a client may ask for, by its RFC 5256 / RFC 5957 criterion name.
ORDER_KEYS = {
    "ARRIVAL": F("internal_date"),
    "DATE": Coalesce("date", "internal_date"),  # RFC 5256 §3: the arrival when Date is missing
    "SIZE": F("size"),
    "SUBJECT": OctetOrder("sort_subject"),
    # A body without its text row (unreadable when migration 0009 ran) sorts as "", first,
    # on every database (PostgreSQL would put a NULL last).
    "FROM": OctetOrder(Coalesce("blob__search_text__sort_from", Value(""))),
    "TO": OctetOrder(Coalesce("blob__search_text__sort_to", Value(""))),
    "CC": OctetOrder(Coalesce("blob__search_text__sort_cc", Value(""))),
    "DISPLAYFROM": OctetOrder("sort_display_from"),
    "DISPLAYTO": OctetOrder("sort_display_to"),
}


# The webmail list's subject and sender orders: the same values as SUBJECT and
# DISPLAYFROM, in reading order. Not IMAP criteria (search/sorting.py offers ORDER_KEYS):
# RFC 5256 §3 has SORT compare with i;ascii-casemap. The keys are bytes (BinaryField),
# which every database compares octet by octet.
READING_ORDER_KEYS = {
    "READING-SUBJECT": F("subject_key"),
    "READING-DISPLAYFROM": F("sender_key"),
}
_ALL_KEYS = {**ORDER_KEYS, **READING_ORDER_KEYS}


def ordering(order: list[tuple[str, bool]]) -> list:
    """ORDER BY terms for [(criterion, reversed)], earlier criteria deciding first. The
    caller adds its tie-breaker (IMAP SORT: the UID, ascending even when reversed)."""
    return [_ALL_KEYS[name].desc() if reverse else _ALL_KEYS[name].asc() for name, reverse in order]
