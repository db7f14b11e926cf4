"""The message store: folders, messages, flags, UIDs, blobs, quota and the search index.

SMTP delivery, IMAP, POP3 and the webmail all change mail only through this package:
append.py appends, messages.py changes flags, copies, moves and expunges, folders.py
manages folders. See docs/store.md for the invariants.
"""
