"""Delivery's half of the spam verdict: which accounts' copies go to Junk.

The MX scored the message once (scan.py) and the queue kept the score
(QueuedMessage.spam_score). Each account's copy goes to Junk when the score reaches the
junk_score of the account's own domain, so two domains receiving one message may sort it
differently. Mail that was never scanned (submission, forwards, a scan that failed open)
has no score and is not sorted here.
"""
from mailcore.directory.models import Account

from .policy import junk_score_of, lowest_junk_score


def junk_accounts(spam_score: float | None, account_ids) -> dict[int, str]:
    """{account id: its domain's name} for the accounts whose copy belongs in Junk.

    One query (the accounts' domains) per message scoring at least the lowest junk score
    of any domain; the domains' thresholds come from the MX's cached policies.
    """
    if spam_score is None or not account_ids or spam_score < lowest_junk_score():
        return {}  # most mail: no query at all
    rows = list(Account.objects.filter(pk__in=list(account_ids)).values_list("pk", "domain_id", "domain__name"))
    domains = {account_id: domain_id for account_id, domain_id, _name in rows}
    names = {domain_id: name for _account_id, domain_id, name in rows}
    return {account_id: names[domain_id] for account_id, domain_id in domains.items()
            if junk_score_of(domain_id) <= spam_score}
