"""The webmail list's sort keys by subject and by sender, in reading order.

Kept on each Message row (subject_key, sender_key) when it is appended, and indexed per
folder (models.py), so a page of a folder sorted by subject or sender walks an index on
SQLite and PostgreSQL alike, and search results sort bytes (mailcore/collation.py).

They are made from the same values as IMAP SORT's keys (sortkeys.py): the base subject
(RFC 5256 §2.1, "Re:", "Fwd:" and "[list]" taken off) and the DISPLAY value of the first
From address (RFC 5957 §3); only the comparison differs: Vietnamese collation with numbers
by value (issue 17 point 12) where SORT compares case-mapped code points (RFC 5256 §3).
"""
from mailcore.collation import stored_key
from mailcore.directory.addresses import address_to_unicode


def subject_key(base_subject: str) -> bytes:
    return stored_key(base_subject)


def sender_key(display: str) -> bytes:
    """The sender as the list shows it: the name, or the address (its domain as people
    read it, U-labels) when there is none."""
    return stored_key(address_to_unicode(display))
