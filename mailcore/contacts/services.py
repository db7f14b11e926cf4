"""Recording and suggesting correspondents (see the package docstring)."""
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.utils import timezone

from .models import Backfill, Contact

MAX_SUGGESTIONS = 10
BACKFILL_LIMIT = 2000  # the most recent distinct senders copied from the store
MAX_ADDRESS = 320
MAX_NAME = 200


def _clean(pairs):
    seen = {}
    for name, address in pairs:
        address = (address or "").strip().lower()
        if "@" not in address or len(address) > MAX_ADDRESS:
            continue
        seen.setdefault(address, (name or "").strip()[:MAX_NAME])
    return seen


def remember(account_id: int, pairs, sent: bool) -> None:
    """Count one message to (sent) or from (not sent) each (name, address) pair.

    A name already known is kept unless a new one is given: a sender's own display name
    beats an empty one.
    """
    wanted = _clean(pairs)
    if not wanted:
        return
    counter = "sent_count" if sent else "received_count"
    now = timezone.now()
    with transaction.atomic():
        existing = set(Contact.objects.filter(account_id=account_id, address__in=list(wanted))
                       .values_list("address", flat=True))
        for address in existing:
            changes = {counter: F(counter) + 1, "last_used": Greatest(F("last_used"), now)}
            if wanted[address]:
                changes["name"] = wanted[address]
            Contact.objects.filter(account_id=account_id, address=address).update(**changes)
        new = [Contact(account_id=account_id, address=address, name=name, last_used=now, **{counter: 1})
               for address, name in wanted.items() if address not in existing]
        try:
            with transaction.atomic():
                Contact.objects.bulk_create(new)
        except IntegrityError:  # another request added one meanwhile: it is known, that is enough
            pass


def backfill(account_id: int) -> None:
    """Copy the senders of mail stored since the last call (Junk aside) into the contacts.

    Received mail is counted here, lazily when the user asks for suggestions, rather than
    by delivery: delivery stays one write per message. The first call takes the
    BACKFILL_LIMIT most recent messages; later calls only what arrived since.
    """
    from mailcore.store.models import Message

    with transaction.atomic():
        Backfill.objects.get_or_create(account_id=account_id)
        marker = Backfill.objects.select_for_update().get(account_id=account_id)
        rows = list(Message.objects.filter(account_id=account_id, pk__gt=marker.last_message_id)
                    .exclude(folder__special_use="\\Junk").order_by("-pk")
                    .values_list("pk", "from_name", "from_address")[:BACKFILL_LIMIT])
        if not rows:
            return
        remember(account_id, [(name, address) for _pk, name, address in rows if address], sent=False)
        marker.last_message_id = rows[0][0]
        marker.save(update_fields=["last_message_id"])


def suggest(account_id: int, prefix: str) -> list[dict]:
    """At most MAX_SUGGESTIONS contacts whose address or name starts with prefix."""
    prefix = prefix.strip()
    if not prefix:
        return []
    backfill(account_id)
    matches = (Contact.objects.filter(account_id=account_id)
               .filter(Q(address__istartswith=prefix) | Q(name__istartswith=prefix)
                       | Q(name__icontains=" " + prefix))
               .order_by("-sent_count", "-received_count", "-last_used")
               .values("name", "address")[:MAX_SUGGESTIONS])
    return list(matches)
