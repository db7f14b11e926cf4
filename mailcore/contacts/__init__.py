"""Addresses an account has written to or received from: the webmail's autocomplete.

`remember(account_id, [(name, address), ...], sent=True/False)` records correspondents;
`suggest(account_id, prefix)` answers the autocomplete. Senders of received mail are
copied from the store lazily, at each `suggest`, from where the last copy stopped, so
delivery pays nothing for it (see services.py).
"""


def remember(account_id: int, pairs, sent: bool) -> None:
    """Record correspondents (services.remember; imported late: this module loads with the app)."""
    from .services import remember as record

    record(account_id, pairs, sent)
