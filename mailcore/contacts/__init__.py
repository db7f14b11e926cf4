"""Addresses an account has written to or received from: the webmail's autocomplete.

`remember(account_id, [(name, address), ...], sent=True/False)` records correspondents;
`suggest(account_id, prefix)` answers the autocomplete. Senders of mail received before
this app existed (or delivered without a `remember` call) are copied from the store once
per account, lazily, at the first `suggest` (see services.py).
"""


def remember(account_id: int, pairs, sent: bool) -> None:
    """Record correspondents (services.remember; imported late: this module loads with the app)."""
    from .services import remember as record

    record(account_id, pairs, sent)
