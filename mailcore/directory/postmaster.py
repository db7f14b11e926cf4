"""Where mail to postmaster goes when the directory names no postmaster.

RFC 5321 §4.5.1: a server MUST accept `RCPT TO:<Postmaster>` (no domain, any case) and
mail to postmaster at every domain it accepts mail for; RFC 2142 §4 asks the same of
`postmaster@domain`. An account or alias called postmaster (or a catch-all) in the
directory always wins; this module answers only when there is none.

The mailbox chosen, in order (docs/smtp.md, "Postmaster"):
1. HOPTHU_POSTMASTER, an address hosted here (an account or an alias, which may forward);
2. the mail account of the first superuser that has one (the install's administrator);
3. the oldest active account of the domain the mail was sent to (for `<Postmaster>`
   without a domain: of the oldest active hosted domain).
"""
from django.conf import settings

from .models import Account, Domain

POSTMASTER = "postmaster"  # RFC 5321 §4.5.1: compared case-insensitively


def is_postmaster(localpart: str) -> bool:
    return localpart.lower() == POSTMASTER


def primary_domain() -> Domain | None:
    """The domain a bare `<Postmaster>` stands for: the oldest active hosted domain."""
    return Domain.objects.filter(active=True).order_by("id").first()


def postmaster_mailbox(domain: Domain | None) -> str | None:
    """The address that takes postmaster mail for domain (None: the primary domain), or
    None when the install has no mailbox at all to give it to."""
    configured = getattr(settings, "HOPTHU_POSTMASTER", "")
    if configured:
        return configured
    accounts = Account.objects.filter(active=True, domain__active=True).select_related("domain").order_by("id")
    account = accounts.filter(user__is_superuser=True).first()
    if account is None:
        domain = domain or primary_domain()
        account = accounts.filter(domain=domain).first() if domain is not None else None
    if account is None:
        return None
    return f"{account.localpart}@{account.domain.name}"
