"""Write-side of the directory: every change validates first and writes in one transaction.

Each function raises django.core.exceptions.ValidationError with a message dict keyed by
the field at fault, so the panel's forms and the CLI report the same words; nothing is
written when it raises. The panel, the CLI and later the webmail all call these.
"""
import unicodedata

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from mailcore.sizes import format_size

from .addresses import Address, domain_to_unicode, normalize_domain, parse_address
from .disabled import note_change as note_active_change
from .lookup import canonical_local, hosted_domain, reaches, route
from .models import (
    Account,
    Alias,
    AliasTarget,
    AppPassword,
    Domain,
    DomainAlias,
    Forward,
    ForwardTarget,
    User,
)

MAX_TARGETS = 1000  # per alias or forward: a typo'd paste should not become a mailing list


def _error(field, message, **params):
    return ValidationError({field: message % params if params else message})


# --- Domains ---------------------------------------------------------------------------

def _get_domain(name, field="domain") -> Domain:
    alabel = normalize_domain(name, field)
    domain = Domain.objects.filter(name=alabel).first()
    if domain is None:
        if DomainAlias.objects.filter(name=alabel).exists():
            raise _error(field, _("%(name)s is a domain alias, not a hosted domain."), name=name)
        raise _error(field, _("The domain %(name)s is not hosted here."), name=name)
    return domain


def _check_non_negative(field, value):
    if value is None or value < 0:
        raise _error(field, _("The value must be zero (unlimited) or more."))


@transaction.atomic
def create_domain(name, *, default_quota=None, max_accounts=0, total_quota=0, active=True, dmarc_reject=None,
                  max_aliases=0):
    from django.conf import settings

    alabel = normalize_domain(name)
    if Domain.objects.filter(name=alabel).exists():
        raise _error("domain", _("The domain %(name)s already exists."), name=domain_to_unicode(alabel))
    if DomainAlias.objects.filter(name=alabel).exists():
        raise _error("domain", _("%(name)s is already a domain alias."), name=domain_to_unicode(alabel))
    if default_quota is None:
        default_quota = settings.HOPTHU_DEFAULT_QUOTA
    if dmarc_reject is None:
        dmarc_reject = settings.HOPTHU_DMARC_REJECT
    for field, value in (("default_quota", default_quota), ("max_accounts", max_accounts),
                         ("max_aliases", max_aliases), ("total_quota", total_quota)):
        _check_non_negative(field, value)
    if total_quota and default_quota and default_quota > total_quota:
        raise _error("default_quota", _("The default mailbox quota is larger than the domain's total quota."))
    return Domain.objects.create(
        name=alabel, default_quota=default_quota, max_accounts=max_accounts, max_aliases=max_aliases,
        total_quota=total_quota, active=active, dmarc_reject=dmarc_reject,
    )


# When the sending alerts hold an account (mailcore/sending_alerts, docs/sending-alerts.md).
SEND_ALERT_FIELDS = ("send_alert_floor", "send_alert_factor", "send_alert_new_recipients", "send_alert_new_network")


@transaction.atomic
def update_domain(name, **changes):
    """Change active, default_quota, max_accounts, max_aliases, total_quota, dmarc_reject,
    app_passwords_only (mailcore.auth.policy) or the send_alert_* thresholds of a domain."""
    domain = _get_domain(name)
    allowed = {"active", "default_quota", "max_accounts", "max_aliases", "total_quota", "dmarc_reject",
               "app_passwords_only", *SEND_ALERT_FIELDS}
    unknown = set(changes) - allowed
    if unknown:
        raise _error(sorted(unknown)[0], _("This field cannot be changed."))
    for field in ("default_quota", "max_accounts", "max_aliases", "total_quota", "send_alert_floor",
                  "send_alert_factor", "send_alert_new_recipients"):
        if field in changes:
            _check_non_negative(field, changes[field])
    accounts = domain.accounts.all()
    if changes.get("max_accounts") and accounts.count() > changes["max_accounts"]:
        raise _error("max_accounts", _("The domain already has %(count)d accounts."), count=accounts.count())
    if changes.get("max_aliases") and domain.aliases.count() > changes["max_aliases"]:
        raise _error("max_aliases", _("The domain already has %(count)d aliases."), count=domain.aliases.count())
    if changes.get("total_quota"):
        total = changes["total_quota"]
        used = accounts.aggregate(s=Sum("used_bytes"))["s"] or 0
        if total < used:
            raise _error("total_quota",
                         _("The total quota %(quota)s is below what the domain already uses (%(used)s)."),
                         quota=format_size(total), used=format_size(used))
    total = changes.get("total_quota", domain.total_quota)
    default = changes.get("default_quota", domain.default_quota)
    if total and default and default > total:
        field = "default_quota" if "default_quota" in changes else "total_quota"
        raise _error(field, _("The default mailbox quota is larger than the domain's total quota."))
    if changes.get("total_quota"):
        if accounts.filter(quota=0).exists():
            raise _error("total_quota", _("Some accounts have unlimited quota; give them a quota first."))
        allocated = accounts.aggregate(s=Sum("quota"))["s"] or 0
        if allocated > total:
            raise _error("total_quota", _("The accounts' quotas already add up to %(allocated)s."),
                         allocated=format_size(allocated))
    if "active" in changes and changes["active"] != domain.active:
        note_active_change()  # open sessions of its accounts end (directory/disabled.py)
    for field, value in changes.items():
        setattr(domain, field, value)
    domain.save(update_fields=list(changes))
    return domain


@transaction.atomic
def remove_domain(name, *, remove_accounts=False):
    """Remove a domain; refuse while it has accounts unless remove_accounts (their mail too).

    Aliases and forwards of other domains lose their targets in this one (and its
    domain aliases); refused while one of them would be left with no target.
    """
    domain = _get_domain(name)
    count = domain.accounts.count()
    if count and not remove_accounts:
        raise _error("domain", _("The domain %(name)s still has %(count)d accounts; remove them first."),
                     name=domain.unicode_name, count=count)
    in_domain = Q()
    for hosted in [domain.name, *domain.domain_aliases.values_list("name", flat=True)]:
        in_domain |= Q(address__endswith=f"@{hosted}")
    _detach_targets(
        AliasTarget.objects.filter(in_domain).exclude(alias__domain=domain),
        ForwardTarget.objects.filter(in_domain).exclude(forward__account__domain=domain),
        "domain",
    )
    for account in domain.accounts.select_related("user"):
        account.user.delete()  # cascades to the account, its folders and messages
    domain.delete()


@transaction.atomic
def create_domain_alias(name, target):
    alabel = normalize_domain(name)
    if Domain.objects.filter(name=alabel).exists():
        raise _error("domain", _("%(name)s is already a hosted domain."), name=domain_to_unicode(alabel))
    if DomainAlias.objects.filter(name=alabel).exists():
        raise _error("domain", _("The domain alias %(name)s already exists."), name=domain_to_unicode(alabel))
    domain_alias = DomainAlias.objects.create(name=alabel, target=_get_domain(target, "target"))
    # Targets that pointed at this name as an outside domain now lead in here; refuse
    # any that would come back to their own alias or account (undone by the rollback).
    _check_no_loop_through(alabel)
    return domain_alias


def _check_no_loop_through(alabel):
    suffix = f"@{alabel}"
    alias_targets = AliasTarget.objects.filter(address__endswith=suffix).select_related("alias__domain")
    forward_targets = ForwardTarget.objects.filter(
        address__endswith=suffix, forward__active=True).select_related("forward__account__domain")
    pairs = [(Address(t.alias.localpart, t.alias.domain.name), t.address) for t in alias_targets]
    pairs += [(Address(t.forward.account.localpart, t.forward.account.domain.name), t.address)
              for t in forward_targets]
    for source, target in pairs:
        if reaches([target], source):
            raise _error("domain", _("%(source)s goes to %(target)s, which would lead back to %(source)s: "
                                     "that would be a mail loop."),
                         source=source.display, target=_display_address(target))


def _display_address(text):
    localpart, _sep, domain = text.rpartition("@")
    return f"{localpart}@{domain_to_unicode(domain)}"


@transaction.atomic
def remove_domain_alias(name):
    alabel = normalize_domain(name)
    deleted, _unused = DomainAlias.objects.filter(name=alabel).delete()
    if not deleted:
        raise _error("domain", _("The domain alias %(name)s does not exist."), name=name)


@transaction.atomic
def retire_domain(name):
    """Stop a domain without losing its mail: what the panel's "delete, keep the mail" does.

    The domain and all its accounts are disabled (SMTP refuses its recipients, nobody
    signs in) and its domain admins lose their grants; mailboxes stay untouched, so a
    superadmin can enable the domain again, or remove it with its mail later.
    Returns the addresses of the accounts this disabled.
    """
    domain = _get_domain(name)
    accounts = domain.accounts.filter(active=True)
    disabled = [f"{localpart}@{domain.name}" for localpart in accounts.values_list("localpart", flat=True)]
    accounts.update(active=False)
    domain.admin_grants.all().delete()
    note_active_change()
    domain.active = False
    domain.save(update_fields=["active"])
    return disabled


@transaction.atomic
def set_catch_all(name, targets):
    """Send mail for unknown addresses at a domain (`@domain`) to targets; no targets removes it."""
    domain = _get_domain(name)
    source = f"@{domain.name}"
    exists = Alias.objects.filter(domain=domain, localpart="").exists()
    if not targets:
        if exists:
            remove_alias(source)
        return None
    if exists:
        return set_alias_targets(source, targets)
    return create_alias(source, targets)


# --- Accounts --------------------------------------------------------------------------

def _hosted_address(text, field="address") -> tuple[Address, Domain]:
    address = parse_address(text, field)
    domain = Domain.objects.filter(name=address.domain).first()
    if domain is None:
        if DomainAlias.objects.filter(name=address.domain).exists():
            raise _error(field, _("%(domain)s is a domain alias; use its target domain."),
                         domain=domain_to_unicode(address.domain))
        raise _error(field, _("The domain %(domain)s is not hosted here."), domain=domain_to_unicode(address.domain))
    return address, domain


def get_account(text, field="address") -> Account:
    address, domain = _hosted_address(text, field)
    account = Account.objects.select_related("domain", "user").filter(
        domain=domain, localpart=address.localpart).first()
    if account is None:
        raise _error(field, _("There is no account %(address)s."), address=address.display)
    return account


def _check_quota_fits_domain(domain, quota, field="quota", exclude=None):
    if not domain.total_quota:
        return
    if quota == 0:
        raise _error(field, _("The domain has a total quota, so accounts need a quota too."))
    others = domain.accounts.exclude(pk=exclude).aggregate(s=Sum("quota"))["s"] or 0
    if others + quota > domain.total_quota:
        raise _error(field, _("Only %(free)s of the domain's total quota is left."),
                     free=format_size(max(domain.total_quota - others, 0)))


def _check_password(password, user=None):
    if not password:
        raise _error("password", _("A password is required."))
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None


def _clean_display_name(name) -> str:
    name = (name or "").strip()
    max_chars = Account._meta.get_field("display_name").max_length
    if len(name) > max_chars:
        raise _error("display_name", _("The display name is longer than %(count)d characters."), count=max_chars)
    # It ends up in From: headers, where CR/LF would inject new header lines.
    if any(unicodedata.category(c) == "Cc" for c in name):
        raise _error("display_name", _("The display name contains control characters."))
    return name


@transaction.atomic
def create_account(address, password, *, quota=None, display_name="", active=True):
    """Create a mail account, its login and its default folders."""
    from mailcore.store.folders import create_default_folders

    parsed, domain = _hosted_address(address)
    if Account.objects.filter(domain=domain, localpart=parsed.localpart).exists():
        raise _error("address", _("The account %(address)s already exists."), address=parsed.display)
    if Alias.objects.filter(domain=domain, localpart=parsed.localpart).exists():
        raise _error("address", _("%(address)s is already an alias."), address=parsed.display)
    if domain.max_accounts and domain.accounts.count() >= domain.max_accounts:
        raise _error("address", _("The domain %(domain)s has reached its limit of %(count)d accounts."),
                     domain=domain.unicode_name, count=domain.max_accounts)
    display_name = _clean_display_name(display_name)
    quota = domain.default_quota if quota is None else quota
    _check_non_negative("quota", quota)
    _check_quota_fits_domain(domain, quota)
    user = User(username=str(parsed))
    _check_password(password, user)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise _error("address", _("The login %(address)s is already taken."), address=parsed.display) from None
    account = Account.objects.create(user=user, localpart=parsed.localpart, domain=domain,
                                     quota=quota, display_name=display_name, active=active)
    create_default_folders(account)
    return account


@transaction.atomic
def set_password(address, password):
    account = get_account(address)
    _check_password(password, account.user)
    account.user.set_password(password)
    account.user.save(update_fields=["password"])


@transaction.atomic
def set_account_active(address, active: bool):
    account = get_account(address)
    if account.active != active:
        note_active_change()  # its open sessions end (directory/disabled.py)
    account.active = active
    account.save(update_fields=["active"])
    return account


@transaction.atomic
def set_quota(address, quota: int):
    account = get_account(address)
    _check_non_negative("quota", quota)
    if quota and quota < account.used_bytes:
        raise _error("quota", _("The quota %(quota)s is below what the account already uses (%(used)s)."),
                     quota=format_size(quota), used=format_size(account.used_bytes))
    _check_quota_fits_domain(account.domain, quota, exclude=account.pk)
    account.quota = quota
    account.save(update_fields=["quota"])
    return account


def _target_forms(localpart: str, domain: Domain) -> list[str]:
    """Every stored target string that means localpart@domain (domain aliases too)."""
    names = [domain.name, *domain.domain_aliases.values_list("name", flat=True)]
    return [f"{localpart}@{name}" for name in names]


def _detach_targets(alias_targets, forward_targets, field: str):
    """Delete these alias and forward targets from aliases and forwards that have others.

    Refuses (and changes nothing) if an alias or forward would be left with no target:
    mail sent to it would have nowhere to go.
    """
    for target in alias_targets.select_related("alias__domain"):
        if not target.alias.targets.exclude(pk__in=alias_targets.values("pk")).exists():
            raise _error(field, _("The alias %(alias)s points only here; change it first."), alias=str(target.alias))
    for target in forward_targets.select_related("forward__account__domain"):
        if not target.forward.targets.exclude(pk__in=forward_targets.values("pk")).exists():
            raise _error(field, _("%(account)s forwards only here; change that forward first."),
                         account=str(target.forward.account))
    alias_targets.delete()
    forward_targets.delete()


def _detach_address(localpart: str, domain: Domain, field: str):
    """Take localpart@domain, in any of its domain's names, out of aliases and forwards."""
    forms = _target_forms(localpart, domain)
    _detach_targets(AliasTarget.objects.filter(address__in=forms), ForwardTarget.objects.filter(address__in=forms),
                    field)


@transaction.atomic
def remove_account(address):
    """Delete an account with its mail, and take it out of aliases and forwards.

    Refused while an alias or forward points only to it.
    """
    account = get_account(address)
    _detach_address(account.localpart, account.domain, "address")
    account.user.delete()


# --- Aliases and forwards ----------------------------------------------------------------

def _clean_targets(targets, source: Address | None, field="targets") -> list[str]:
    """Validate targets: parse each, refuse unknown local ones, loops and duplicates."""
    if isinstance(targets, str):
        targets = [targets]
    cleaned = []
    for text in targets or []:
        target = parse_address(text, field, allow_quoted=True)
        if source is not None and canonical_local(target) == source:
            raise _error(field, _("%(target)s points back to itself."), target=target.display)
        # A disabled alias is still a target: it takes mail again once it is enabled.
        if hosted_domain(target.domain) is not None and route(target, disabled_aliases=True) is None:
            raise _error(field, _("%(target)s is not an account or alias here."), target=target.display)
        if str(target) not in cleaned:
            cleaned.append(str(target))
    if not cleaned:
        raise _error(field, _("At least one target is required."))
    if len(cleaned) > MAX_TARGETS:
        raise _error(field, _("At most %(count)d targets are allowed."), count=MAX_TARGETS)
    if source is not None and reaches(cleaned, source):
        raise _error(field, _("These targets lead back to %(source)s: that would be a mail loop."),
                     source=source.display or f"@{domain_to_unicode(source.domain)}")
    return cleaned


def _alias_source(source) -> tuple[Address, Domain]:
    address = parse_address(source, "source", allow_catchall=True)
    domain = Domain.objects.filter(name=address.domain).first()
    if domain is None:
        if DomainAlias.objects.filter(name=address.domain).exists():
            raise _error("source", _("%(domain)s is a domain alias; use its target domain."),
                         domain=domain_to_unicode(address.domain))
        raise _error("source", _("The domain %(domain)s is not hosted here."), domain=domain_to_unicode(address.domain))
    return address, domain


@transaction.atomic
def create_alias(source, targets, *, active=True):
    """Create an alias (`@domain` for the catch-all) to one or more targets."""
    address, domain = _alias_source(source)
    if Alias.objects.filter(domain=domain, localpart=address.localpart).exists():
        raise _error("source", _("The alias %(address)s already exists."), address=address.display)
    if not address.is_catchall and Account.objects.filter(domain=domain, localpart=address.localpart).exists():
        raise _error("source", _("%(address)s is already an account."), address=address.display)
    if domain.max_aliases and domain.aliases.count() >= domain.max_aliases:
        raise _error("source", _("The domain %(domain)s has reached its limit of %(count)d aliases."),
                     domain=domain.unicode_name, count=domain.max_aliases)
    cleaned = _clean_targets(targets, address)
    alias = Alias.objects.create(domain=domain, localpart=address.localpart, active=active)
    AliasTarget.objects.bulk_create(AliasTarget(alias=alias, address=t) for t in cleaned)
    return alias


def _get_alias(source) -> tuple[Address, Alias]:
    address, domain = _alias_source(source)
    alias = Alias.objects.filter(domain=domain, localpart=address.localpart).first()
    if alias is None:
        raise _error("source", _("There is no alias %(address)s."), address=address.display)
    return address, alias


@transaction.atomic
def set_alias_targets(source, targets):
    address, alias = _get_alias(source)
    alias.targets.all().delete()  # inside the transaction: reverted if validation fails
    cleaned = _clean_targets(targets, address)
    AliasTarget.objects.bulk_create(AliasTarget(alias=alias, address=t) for t in cleaned)
    return alias


@transaction.atomic
def remove_alias(source):
    """Delete an alias, and take it out of other aliases and forwards that name it."""
    address, alias = _get_alias(source)
    if not address.is_catchall:
        _detach_address(address.localpart, alias.domain, "source")
    alias.delete()


@transaction.atomic
def set_alias_active(source, active: bool) -> Alias:
    """Enable or disable an alias (`@domain`: the catch-all), keeping its targets.

    A disabled alias takes no mail, as if it did not exist: RCPT refuses it with 550 5.1.1
    unless the domain's catch-all takes it (lookup.local_recipient, route); nor is it an
    address its targets may send as (lookup.sender_addresses). Other aliases and forwards
    that name it keep it as a target."""
    _address, alias = _get_alias(source)
    if alias.active != active:
        alias.active = active
        alias.save(update_fields=["active"])  # post_save: this process's RCPT answers are dropped
    return alias


@transaction.atomic
def set_forward(address, targets, *, keep_copy=True):
    """Forward an account's mail to targets; an empty list removes the forward."""
    account = get_account(address)
    Forward.objects.filter(account=account).delete()
    if not targets:
        return None
    cleaned = _clean_targets(targets, Address(account.localpart, account.domain.name))
    from mailcore.delivery import forward_limits

    cap = forward_limits.max_targets()
    if cap and len({t.lower() for t in cleaned} | forward_limits.rule_targets(account)) > cap:
        raise ValidationError({"targets": forward_limits.too_many_message(cap)})
    forward = Forward.objects.create(account=account, keep_copy=keep_copy)
    ForwardTarget.objects.bulk_create(ForwardTarget(forward=forward, address=t) for t in cleaned)
    return forward


# --- App passwords -----------------------------------------------------------------------

@transaction.atomic
def create_app_password(address, name) -> tuple[AppPassword, str]:
    """Make a random app password; return it with its plaintext, shown to the user once."""
    import secrets

    from django.contrib.auth.hashers import make_password

    account = get_account(address)
    name = (name or "").strip()
    if not name:
        raise _error("name", _("Give the app password a name, such as the device it is for."))
    if account.app_passwords.filter(name=name).exists():
        raise _error("name", _("An app password named %(name)s already exists."), name=name)
    plaintext = "-".join(secrets.token_hex(2) for _i in range(5))
    app_password = AppPassword.objects.create(account=account, name=name, password=make_password(plaintext))
    return app_password, plaintext


@transaction.atomic
def remove_app_password(address, app_password_id):
    """Revoke one app password of an account: the client using it is refused from now on."""
    account = get_account(address)
    deleted, _unused = account.app_passwords.filter(pk=app_password_id).delete()
    if not deleted:
        raise _error("app_password", _("There is no such app password."))


# --- Account details ------------------------------------------------------------------------

@transaction.atomic
def set_display_name(address, display_name):
    """Set the name shown with the account's address (From: headers, the panel)."""
    account = get_account(address)
    account.display_name = _clean_display_name(display_name)
    account.save(update_fields=["display_name"])
    return account
