"""Write-side of relay grants, with the directory's conventions: validate, then write in
one transaction; a ValidationError's message dict names the field at fault, so the CLI
and the panel report the same words."""
import hashlib
import ipaddress
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mailcore.directory.addresses import normalize_domain, parse_address
from mailcore.directory.models import Domain, DomainAlias

from .models import RelayGrant, RelayNetwork, RelayToken

MAX_SENDERS = 100


def _error(field, message, **params):
    return ValidationError({field: message % params if params else message})


def hash_secret(secret: str) -> str:
    # The secret is 192 random bits, not a human password: a fast hash cannot be brute-forced.
    return hashlib.sha256(secret.encode()).hexdigest()


def _domain(name) -> Domain:
    alabel = normalize_domain(name)
    domain = Domain.objects.filter(name=alabel).first()
    if domain is None:
        raise _error("domain", _("The domain %(name)s is not hosted here."), name=name)
    return domain


def clean_senders(domain: Domain, senders) -> list[str]:
    """Canonical sender addresses (or "@domain" for any address there) of this domain or
    its domain aliases; None means any address of the domain."""
    if senders is None:
        return [f"@{domain.name}"]
    own = {domain.name, *DomainAlias.objects.filter(target=domain).values_list("name", flat=True)}
    cleaned: list[str] = []
    for text in senders:
        address = parse_address(str(text).strip(), field="senders", allow_catchall=True)
        if address.domain not in own:
            raise _error("senders", _("%(address)s is not at %(domain)s or one of its domain aliases."),
                         address=text, domain=domain.unicode_name)
        value = str(address).lower()
        if value not in cleaned:
            cleaned.append(value)
    if not cleaned:
        raise _error("senders", _("Give at least one sender address, or @domain for any address there."))
    if len(cleaned) > MAX_SENDERS:
        raise _error("senders", _("At most %(count)d sender addresses."), count=MAX_SENDERS)
    return cleaned


def _clean_name(model, domain: Domain, name) -> str:
    name = (name or "").strip()
    if not name:
        raise _error("name", _("Give it a name, such as the application or device it is for."))
    if len(name) > 100:
        raise _error("name", _("The name is longer than 100 characters."))
    if model.objects.filter(domain=domain, name=name).exists():
        raise _error("name", _("%(domain)s already has one named %(name)s."), domain=domain.unicode_name, name=name)
    return name


def _clean_rate(rate_per_hour) -> int:
    if rate_per_hour is None:
        return settings.HOPTHU_RELAY_RATE_PER_HOUR
    if rate_per_hour < 0:
        raise _error("rate_per_hour", _("The value must be zero (unlimited) or more."))
    return rate_per_hour


def clean_network(text) -> str:
    try:
        network = ipaddress.ip_network(str(text).strip(), strict=False)
    except ValueError:
        raise _error("network", _("%(value)s is not an IP address or network, such as 192.0.2.0/24."),
                     value=text) from None
    if network.prefixlen == 0:
        raise _error("network", _("A relay network cannot be the whole Internet."))
    return str(network)


def _new_secret() -> str:
    """32 URL-safe characters (192 bits) that never start with "-": the secret goes on
    command lines (swaks, curl, sendmail wrappers), where a leading dash reads as an option."""
    while (secret := secrets.token_urlsafe(24)).startswith("-"):
        pass
    return secret


@transaction.atomic
def create_token(domain, name, *, senders=None, rate_per_hour=None) -> tuple[RelayToken, str]:
    """Make a relay token; return it with its secret, which is shown once and never stored."""
    domain = _domain(domain)
    token_name = _clean_name(RelayToken, domain, name)
    secret = _new_secret()
    token = RelayToken.objects.create(
        domain=domain, name=token_name, senders=clean_senders(domain, senders),
        rate_per_hour=_clean_rate(rate_per_hour), username=f"relay-{secrets.token_hex(6)}",
        secret_hash=hash_secret(secret),
    )
    return token, secret


@transaction.atomic
def create_network(domain, name, network, *, senders=None, rate_per_hour=None) -> RelayNetwork:
    domain = _domain(domain)
    network_name = _clean_name(RelayNetwork, domain, name)
    return RelayNetwork.objects.create(
        domain=domain, name=network_name, network=clean_network(network),
        senders=clean_senders(domain, senders), rate_per_hour=_clean_rate(rate_per_hour),
    )


def get_grant(model: type[RelayGrant], domain, name) -> RelayGrant:
    domain = _domain(domain)
    grant = model.objects.filter(domain=domain, name=name).first()
    if grant is None:
        raise _error("name", _("%(domain)s has none named %(name)s."), domain=domain.unicode_name, name=name)
    return grant


@transaction.atomic
def set_grant_active(model: type[RelayGrant], domain, name, active: bool) -> RelayGrant:
    grant = get_grant(model, domain, name)
    grant.active = active
    grant.save(update_fields=["active"])
    return grant


@transaction.atomic
def remove_grant(model: type[RelayGrant], domain, name) -> None:
    get_grant(model, domain, name).delete()
