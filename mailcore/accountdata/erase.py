"""Erasing an account for good (GDPR Art. 17, docs/export.md): its mail, bodies, logs and
the audit entries about it go, and one audit entry says that the erase happened.

What goes, beyond what deleting the account removes (its folders, messages, recoverable
mail, rules, contacts, preferences, app passwords, login: all by cascade):
- the delivery log's rows of mail to it (QueueRecipient rows naming its addresses) and of
  mail it sent (QueuedMessage rows of the account or with its address as sender, with their
  recipients); the message rows no other recipient still needs;
- quarantine rows held for it, and the held messages nobody else waits for;
- failed-login rows and lockouts naming it;
- audit entries whose object is the account or one of its rules ("address: rule");
- its search-index entries, and at once every body no other mailbox, queue or quarantine
  row refers to (a body shared with another recipient stays theirs).

Left on purpose: the per-domain daily counts (numbers, no addresses), greylist entries
(hashes of the triplet, gone within days), other accounts' mail that mentions it.
The record: an `account.erase` entry (who, when, from where, which address; nothing of the
content), which the audit log's retention never prunes.
"""
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from mailcore.audit import log as audit_log
from mailcore.audit.models import AuditEntry
from mailcore.auth.models import Lockout, LoginFailure
from mailcore.delivery.models import QueuedMessage, QueueRecipient
from mailcore.directory.models import Account
from mailcore.directory.services import get_account, remove_account
from mailcore.filters.models import QuarantinedMessage, QuarantineRecipient
from mailcore.store.gc import collect_blobs, collect_index_entries

ERASE_ACTION = audit_log.KEPT_FOREVER


@dataclass(frozen=True)
class Erased:
    address: str
    log_rows: int
    audit_entries: int
    blobs: int
    record: AuditEntry


def addresses_of(account: Account) -> list[str]:
    """Every form of the account's address: its domain's aliases, and the Unicode form."""
    names = [account.domain.name, *account.domain.domain_aliases.values_list("name", flat=True)]
    forms = {f"{account.localpart}@{name}".lower() for name in names}
    forms.add(account.display_address.lower())
    return sorted(forms)


def _address_q(field: str, forms: list[str]) -> Q:
    query = Q()
    for form in forms:
        query |= Q(**{f"{field}__iexact": form})
    return query


def _erase_logs(account: Account, forms: list[str]) -> int:
    sent = QueuedMessage.objects.filter(Q(account=account) | _address_q("mail_from", forms))
    sent_ids = list(sent.values_list("pk", flat=True))
    received = QueueRecipient.objects.filter(_address_q("address", forms))
    touched = set(received.values_list("message_id", flat=True))
    removed, _kinds = received.delete()
    removed += QueueRecipient.objects.filter(message_id__in=sent_ids).delete()[0]
    removed += QueuedMessage.objects.filter(pk__in=sent_ids).delete()[0]
    # Mail to the account alone: nothing of it is left that anyone else's log needs.
    removed += QueuedMessage.objects.filter(pk__in=touched, recipients__isnull=True).delete()[0]

    held = QuarantineRecipient.objects.filter(Q(account=account) | _address_q("address", forms))
    held_ids = set(held.values_list("message_id", flat=True))
    removed += held.delete()[0]
    removed += QuarantinedMessage.objects.filter(pk__in=held_ids, recipients__isnull=True).delete()[0]

    removed += LoginFailure.objects.filter(_address_q("username", forms)).delete()[0]
    removed += Lockout.objects.filter(Q(scope=Lockout.Scope.ACCOUNT) & _address_q("key", forms)).delete()[0]
    return removed


def _erase_audit(forms: list[str]) -> int:
    about = Q()
    for form in forms:
        about |= Q(object_repr__iexact=form) | Q(object_repr__istartswith=f"{form}: ")
    return AuditEntry.objects.filter(about).exclude(action=ERASE_ACTION).delete()[0]


def erase_account(address: str, actor, *, ip: str | None = None) -> Erased:
    """Erase the account and everything about it; return what went and the record left.

    Refused (a ValidationError, nothing changed) when deleting the account is: an alias
    or forward that points only to it.
    """
    with transaction.atomic():
        account = get_account(address)
        forms = addresses_of(account)
        shown, domain = account.display_address, account.domain.name
        log_rows = _erase_logs(account, forms)
        remove_account(account.address)
        audit_entries = _erase_audit(forms)
        record = audit_log.record(actor, ERASE_ACTION, "account", shown, ip=ip, domain=domain)
    collect_index_entries()
    return Erased(shown, log_rows, audit_entries, collect_blobs(), record)
