"""Read-side of the directory: which domain hosts an address, and where mail for it goes.

Used by validation (loops, unknown targets), by delivery (expansion) and by the SMTP
listeners (RCPT checks, who may send as whom), which read the directory only here.
"""
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models.signals import post_delete, post_save

from .addresses import Address, parse_address
from .models import Account, Alias, AliasTarget, Domain, DomainAlias, Forward


def hosted_domain(alabel: str, active_only: bool = False) -> Domain | None:
    """Return the Domain that hosts alabel, following a domain alias; None if not hosted.

    Every RCPT and every delivery asks this, so answers are kept for a few seconds
    (HOPTHU_DIRECTORY_CACHE_SECONDS); a change made in this process clears them at once,
    one made in another process is seen within that time. Treat the Domain as read-only.
    """
    ttl = getattr(settings, "HOPTHU_DIRECTORY_CACHE_SECONDS", 5)
    key = (alabel, active_only)
    now = time.monotonic()
    cached = _domain_cache.get(key)
    if cached is not None and cached[0] > now:
        return cached[1]
    domain = _find_hosted_domain(alabel, active_only)
    if ttl > 0:
        _domain_cache[key] = (now + ttl, domain)
    return domain


def _find_hosted_domain(alabel: str, active_only: bool) -> Domain | None:
    # Unordered [:1] rather than first(): first() resolves the model's ordering each time.
    domains = Domain.objects.filter(name=alabel).order_by()
    if active_only:
        domains = domains.filter(active=True)
    domain = next(iter(domains[:1]), None)
    if domain is not None:
        return domain
    alias = next(iter(DomainAlias.objects.select_related("target").filter(name=alabel).order_by()[:1]), None)
    if alias is None or (active_only and not (alias.active and alias.target.active)):
        return None
    return alias.target


_domain_cache: dict[tuple[str, bool], tuple[float, Domain | None]] = {}


def clear_cache(**_signal_kwargs):
    _domain_cache.clear()


for _model in (Domain, DomainAlias):
    post_save.connect(clear_cache, sender=_model, dispatch_uid=f"hosted-domain-cache-{_model.__name__}-save")
    post_delete.connect(clear_cache, sender=_model, dispatch_uid=f"hosted-domain-cache-{_model.__name__}-delete")

_change_listeners: list[Callable[[], None]] = []


def on_change(listener: Callable[[], None]) -> Callable[[], None]:
    """Call listener() whenever a domain, domain alias, account, alias or alias target is
    saved or deleted in this process, so a cache of directory answers kept elsewhere (the
    RCPT answers of smtp/policy.py) is cleared at once. Its owner need not know the models."""
    if listener not in _change_listeners:
        _change_listeners.append(listener)
    return listener


def _directory_changed(**_signal_kwargs):
    for listener in list(_change_listeners):
        listener()


for _model in (Domain, DomainAlias, Account, Alias, AliasTarget):
    post_save.connect(_directory_changed, sender=_model, dispatch_uid=f"directory-change-{_model.__name__}-save")
    post_delete.connect(_directory_changed, sender=_model,
                        dispatch_uid=f"directory-change-{_model.__name__}-delete")


@dataclass(frozen=True)
class LocalRecipient:
    """What RCPT needs to know of an address at a hosted domain."""

    known: bool  # an account, an alias or the domain's catch-all takes it
    full: bool = False  # an account at or over its quota


def local_recipient(domain: Domain, localpart: str) -> LocalRecipient:
    """Whether mail to localpart@domain (a hosted Domain, e.g. from hosted_domain) has a
    mailbox, and whether that mailbox is full. What route() decides (an account, else an
    alias, else the catch-all), in two queries at most: RCPT is the hottest path of an MX."""
    account = Account.objects.filter(domain=domain, localpart=localpart).only("quota", "used_bytes").first()
    if account is not None:
        return LocalRecipient(True, full=bool(account.quota) and account.used_bytes >= account.quota)
    # A disabled alias takes no mail, as if it did not exist (issue 16): the catch-all, if
    # enabled, takes it as it takes any unknown address; else 550 5.1.1.
    return LocalRecipient(Alias.objects.filter(domain=domain, localpart__in=[localpart, ""], active=True).exists())


def sender_addresses(account: Account) -> set[str]:
    """Addresses (lower case) an account may send as: its own, and those of the aliases
    that deliver to it (the catch-all aside), at the alias's domain and its domain aliases.

    Only what is enabled now (issue 16): nothing while the account or its domain is
    disabled, and no alias that is disabled or at a disabled domain or domain alias."""
    if not Account.objects.filter(pk=account.pk, active=True, domain__active=True).exists():
        return set()
    own = f"{account.localpart}@{account.domain.name}"
    allowed = {own.lower()}
    forms = {own.lower(), *(f"{account.localpart}@{alias}".lower()
                            for alias in account.domain.domain_aliases.filter(active=True).values_list(
                                "name", flat=True))}
    aliases = Alias.objects.filter(targets__address__in=forms, active=True, domain__active=True).exclude(
        localpart="").select_related("domain")
    allowed.update(alias.address.lower() for alias in aliases)
    for alias in aliases:
        allowed.update(f"{alias.localpart}@{name}".lower()
                       for name in alias.domain.domain_aliases.filter(active=True).values_list("name", flat=True))
    return allowed


def canonical_local(address: Address) -> Address | None:
    """Map an address at a domain alias to its target domain; None if not hosted."""
    domain = hosted_domain(address.domain)
    if domain is None:
        return None
    return Address(address.localpart, domain.name)


def find_account(address: Address) -> Account | None:
    local = canonical_local(address)
    if local is None:
        return None
    return (
        Account.objects.select_related("domain", "user")
        .filter(domain__name=local.domain, localpart=local.localpart)
        .first()
    )


def route(address: Address, *, disabled_aliases: bool = False) -> tuple[Address, list[str]] | None:
    """Return (handler, targets) for a hosted address: where mail for it goes next.

    The handler is the account, the alias, or the domain's catch-all (`@domain`) that
    takes the mail. An account's targets are its forward targets (none: a final stop).
    None means "no such local address" or not a hosted domain at all.

    A disabled alias (or catch-all) takes no mail: it is passed over as if it did not
    exist, unless disabled_aliases asks for the directory as configured (is this address
    a valid target, could these targets loop once every alias is enabled again).
    """
    local = canonical_local(address)
    if local is None:
        return None
    if not local.is_catchall:
        account = Account.objects.filter(domain__name=local.domain, localpart=local.localpart).first()
        if account is not None:
            forward = Forward.objects.filter(account=account, active=True).first()
            return local, [t.address for t in forward.targets.all()] if forward else []
    for localpart in dict.fromkeys((local.localpart, "")):  # the address, then the catch-all
        aliases = Alias.objects.filter(domain__name=local.domain, localpart=localpart)
        alias = (aliases if disabled_aliases else aliases.filter(active=True)).first()
        if alias is not None:
            return Address(localpart, local.domain), [t.address for t in alias.targets.all()]
    return None


def reaches(start_targets: list[str], goal: Address) -> bool:
    """Return True if following start_targets through the directory arrives at goal.

    goal may not exist yet (an alias being created): reaching its address counts, and for
    a catch-all goal so does reaching an address at its domain that nothing takes today.
    Disabled aliases are followed too: enabling one again must not make a loop.
    """
    seen: set[Address] = set()
    todo = list(start_targets)
    while todo:
        try:
            address = parse_address(todo.pop(), allow_catchall=True, allow_quoted=True)
        except ValidationError:  # an odd external address cannot lead back in here
            continue
        local = canonical_local(address)
        if local is None:  # not hosted here: the mail leaves
            continue
        if local == goal:
            return True
        routed = route(local, disabled_aliases=True)
        if routed is None:
            if goal.is_catchall and local.domain == goal.domain:
                return True
            continue
        handler, targets = routed
        if handler == goal:
            return True
        if handler not in seen:
            seen.add(handler)
            todo.extend(targets)
    return False
