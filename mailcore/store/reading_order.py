"""The message list's sort keys by subject and by sender, in reading order.

Kept on each Message row (subject_key, sender_key) when it is appended, and indexed per
folder (models.py), so a page of a folder sorted by subject or sender walks an index on
SQLite and PostgreSQL alike, and search results sort bytes (mailcore/collation.py).
"""
from mailcore.collation import stored_key
from mailcore.directory.addresses import address_to_unicode


def subject_key(subject: str) -> bytes:
    return stored_key(subject)


def sender_key(from_name: str, from_address: str) -> bytes:
    """The sender as the list shows it: the name, or the address when there is none."""
    return stored_key(from_name or address_to_unicode(from_address))
