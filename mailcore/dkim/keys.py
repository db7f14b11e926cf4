"""Making, rotating and reading the DKIM keys of hosted domains.

A domain gets an RSA-2048 key when it is created (signals.py) and a new one on
rotate_key(). The private key is written 0600 under HOPTHU_DKIM_DIR (default
VAR_DIR/dkim) and never logged or printed; the database keeps the selector and the
public key, which are public anyway. A rotated-out key stays published (and listed by
published_keys) for HOPTHU_DKIM_GRACE_DAYS, so mail signed with it just before the
rotation still verifies when it arrives; prune_keys() then removes it.

The panel rotates in two steps instead: prepare_key() makes a pending key (published,
not signing), and activate_pending() switches to it once its record is visible in DNS
(check.py), so no mail is ever signed with a selector receivers cannot find yet.
"""
import base64
import logging
import os
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mailcore.directory.addresses import normalize_domain
from mailcore.directory.models import Domain

from .models import DkimKey

logger = logging.getLogger(__name__)

KEY_BITS = 2048  # RFC 8301 §3.2: signers SHOULD use at least 2048 bits
SELECTOR_PREFIX = "hopthu"


@dataclass(frozen=True)
class SigningKey:
    domain: str  # A-label: the d= tag
    selector: str  # the s= tag
    pem: bytes = field(repr=False)  # PKCS#1 PEM; repr=False keeps it out of logs and tracebacks


def key_dir() -> Path:
    configured = getattr(settings, "HOPTHU_DKIM_DIR", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "dkim"


def create_key(domain: Domain | str) -> DkimKey:
    """Return the domain's active key, making one first if it has none."""
    return _install(_domain(domain), replace=False)


def rotate_key(domain: Domain | str) -> DkimKey:
    """Make a new active key with a new selector; the previous one is retired, not deleted.

    Publish the new record (dns_record) right away: mail is signed with the new
    selector from now on. The old record must stay in DNS for the grace period.
    """
    return _install(_domain(domain), replace=True)


def prepare_key(domain: Domain | str) -> DkimKey:
    """Make the next key without signing with it yet: the panel's safe rotation, step one.

    Signing with a selector whose record is not in DNS yet would fail DKIM at every
    receiver (RFC 6376 §6.1.2: no key, PERMFAIL), so the new key waits, pending, until the
    admin has published its record; activate_pending() then switches. A domain with no
    key at all gets an active one at once (nothing is signed before it anyway).
    """
    domain = _domain(domain)
    if not DkimKey.objects.filter(domain=domain, active=True).exists():
        return _install(domain, replace=False)
    return pending_key(domain) or _install(domain, replace=False, pending=True)


def pending_key(domain: Domain | str) -> DkimKey | None:
    """The key prepared but not signing yet (never active, never retired)."""
    return (DkimKey.objects.filter(domain=_domain(domain), active=False, retired__isnull=True)
            .select_related("domain").order_by("-pk").first())


def activate_pending(domain: Domain | str) -> DkimKey:
    """Sign with the pending key from now on; the old one is retired and stays published."""
    domain = _domain(domain)
    with transaction.atomic():
        Domain.objects.select_for_update().filter(pk=domain.pk).first()  # one rotation at a time
        key = pending_key(domain)
        if key is None:
            raise ValidationError({"key": _("There is no new key waiting to be used.")})
        DkimKey.objects.filter(domain=domain, active=True).update(active=False, retired=timezone.now())
        DkimKey.objects.filter(pk=key.pk).update(active=True)
    key.active = True
    return key


def discard_pending(domain: Domain | str) -> bool:
    """Forget the pending key (its file goes with its row, signals.py); False if there was none."""
    key = pending_key(domain)
    if key is None:
        return False
    key.delete()
    return True


def current_key(domain: Domain | str) -> DkimKey | None:
    return DkimKey.objects.filter(domain=_domain(domain), active=True).select_related("domain").first()


def published_keys(domain: Domain | str) -> list[DkimKey]:
    """The keys whose records must be in DNS now: the active one, a pending one (about to
    sign) and retired ones within the grace period; the active key first."""
    cutoff = timezone.now() - _grace()
    keys = DkimKey.objects.filter(domain=_domain(domain)).select_related("domain").order_by("-active", "-pk")
    return [key for key in keys if key.active or not key.retired or key.retired > cutoff]


def grace_ends(key: DkimKey):
    """When a retired key's record may leave DNS (None for a key still in use)."""
    return key.retired + _grace() if key.retired else None


def dns_record(domain: Domain | str) -> tuple[str, str] | None:
    """(TXT owner name, TXT value) of the active key, for the panel's DNS guidance; None without a key."""
    key = current_key(domain)
    return (key.dns_name, key.dns_value) if key else None


def private_key(domain: Domain | str) -> SigningKey | None:
    """The active key to sign with, or None if the domain has none (mail then goes unsigned)."""
    try:
        key = current_key(domain)
    except (Domain.DoesNotExist, ValidationError):
        return None  # not a hosted domain (or not a domain name at all): nothing to sign with
    if key is None:
        return None
    try:
        pem = (key_dir() / key.key_file).read_bytes()
    except OSError as error:
        logger.warning("DKIM key file of %s (selector %s) cannot be read: %s", key.domain.name, key.selector,
                       error.strerror)
        return None
    return SigningKey(key.domain.name, key.selector, pem)


def prune_keys(now=None) -> int:
    """Delete retired keys past the grace period (signals.py removes their files); return how many."""
    cutoff = (now or timezone.now()) - _grace()
    # A queryset delete still sends post_delete per row while a receiver is connected.
    _total, per_model = DkimKey.objects.filter(active=False, retired__lt=cutoff).delete()
    return per_model.get(DkimKey._meta.label, 0)


def _grace() -> timedelta:
    return timedelta(days=float(getattr(settings, "HOPTHU_DKIM_GRACE_DAYS", 14)))


def _domain(domain: Domain | str) -> Domain:
    if isinstance(domain, Domain):
        return domain
    return Domain.objects.get(name=normalize_domain(domain))


def _install(domain: Domain, *, replace: bool, pending: bool = False) -> DkimKey:
    if not replace and not pending and (existing := DkimKey.objects.filter(domain=domain, active=True).first()):
        return existing
    # The RSA prime search (~50 ms) runs before the transaction, not while holding its lock.
    private = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    written: Path | None = None
    try:
        with transaction.atomic():
            Domain.objects.select_for_update().filter(pk=domain.pk).first()  # one rotation at a time
            current = DkimKey.objects.filter(domain=domain, active=True).first()
            if pending and (waiting := pending_key(domain)):
                return waiting  # prepared by a concurrent request meanwhile
            if current and not replace and not pending:
                return current  # made by a concurrent create_key meanwhile
            selector = _free_selector(domain)
            key_file = f"{domain.name}.{selector}.pem"
            written = key_dir() / key_file
            _write_private(written, private)
            if current and not pending:
                DkimKey.objects.filter(pk=current.pk).update(active=False, retired=timezone.now())
            key = DkimKey.objects.create(domain=domain, selector=selector, public_key=_public_b64(private),
                                         key_file=key_file, active=not pending)
    except BaseException:
        if written is not None:
            written.unlink(missing_ok=True)  # no row points at it: do not leave a secret lying around
        raise
    logger.debug("DKIM key %s made for %s", selector, domain.name)
    return key


def _free_selector(domain: Domain) -> str:
    """hopthu202611, or hopthu202611-2 for a second key in the same month."""
    base = f"{SELECTOR_PREFIX}{timezone.now():%Y%m}"
    taken = set(DkimKey.objects.filter(domain=domain, selector__startswith=base).values_list("selector", flat=True))
    selector, number = base, 1
    while selector in taken:
        number += 1
        selector = f"{base}-{number}"
    return selector


def _public_b64(private: rsa.RSAPrivateKey) -> str:
    # RFC 6376 §3.6.1: p= is the base64 of the DER SubjectPublicKeyInfo (as OpenDKIM publishes).
    der = private.public_key().public_bytes(serialization.Encoding.DER,
                                            serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(der).decode("ascii")


def _write_private(path: Path, private: rsa.RSAPrivateKey):
    """Write the key 0600 (its directory 0700), whole or not at all: temp file, fsync, rename."""
    # dkimpy reads RFC 8017 RSAPrivateKey ("BEGIN RSA PRIVATE KEY"), i.e. PKCS#1.
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                serialization.NoEncryption())
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:
            os.fchmod(out.fileno(), 0o600)  # os.open's mode is filtered by the umask; be exact
            out.write(pem)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def remove_key_file(key_file: str):
    """Delete a private key file (after its row is gone)."""
    if key_file:
        (key_dir() / key_file).unlink(missing_ok=True)
