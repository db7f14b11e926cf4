"""Where a local recipient's mail ends up: accounts and outside addresses.

Aliases (several targets, catch-alls, domain aliases) and per-account forwarding are
followed through the directory (directory.lookup.route). Each account is reached at
most once per message, and expansion stops at MAX_DEPTH levels, so a loop that slipped
past the directory's checks can't multiply mail.
"""
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from mailcore.directory.addresses import Address, parse_address
from mailcore.directory.lookup import canonical_local, find_account, route
from mailcore.directory.models import Account, Forward

MAX_DEPTH = 10


@dataclass
class Expansion:
    accounts: dict = field(default_factory=dict)  # account id -> the address it was reached as
    external: list = field(default_factory=list)  # outside addresses, for the outbound queue
    forwarded_by: dict = field(default_factory=dict)  # external address -> local address that sent it on

    @property
    def empty(self) -> bool:
        return not self.accounts and not self.external


def expand(recipient: str) -> Expansion:
    """Expand one envelope recipient; an address nothing takes yields an empty Expansion."""
    result = Expansion()
    seen: set[Address] = set()
    todo = [(recipient, 0, None)]
    while todo:
        text, depth, via = todo.pop(0)
        try:
            address = parse_address(text, allow_quoted=True)
        except ValidationError:
            continue
        local = canonical_local(address)
        if local is None:  # not ours: it leaves through the outbound queue
            if str(address) not in result.external:
                result.external.append(str(address))
                result.forwarded_by[str(address)] = via or recipient
            continue
        if local in seen or depth > MAX_DEPTH:
            continue
        seen.add(local)
        routed = route(local)
        if routed is None:
            continue
        handler, targets = routed
        account = None if handler.is_catchall else Account.objects.filter(
            domain__name=handler.domain, localpart=handler.localpart, active=True).first()
        if account is not None:
            forward = Forward.objects.filter(account=account, active=True).first()
            if forward is None or forward.keep_copy or not targets:
                result.accounts.setdefault(account.pk, str(local))
        todo.extend((target, depth + 1, str(local)) for target in targets)
    return result


def mailbox_of(address: str) -> Expansion:
    """The account of an address alone, without aliases or forwards (a mailbox retry)."""
    result = Expansion()
    try:
        account = find_account(parse_address(address, allow_quoted=True))
    except ValidationError:
        return result
    if account is not None and account.active:
        result.accounts[account.pk] = address
    return result
