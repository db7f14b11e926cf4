"""Holding and releasing an account's outbound mail, and telling its domain's admins.

A held account's remote recipients stay queued: delivery/remote.py claims none of them
(held_accounts()), so nothing leaves and nothing expires unseen before an admin looks.
Its local mail and the mail it receives are not affected.
"""
import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mailcore.audit import log as audit
from mailcore.directory.models import Account

from .baseline import hour_of
from .models import SendingHour, SendingState

log = logging.getLogger(__name__)


def held_accounts():
    """The ids of accounts whose outbound mail is held, as a subquery."""
    return SendingState.objects.filter(held=True).values("account_id")


def hold(account_id: int, reason: str, detail: str, now=None) -> bool:
    """Hold the account's outbound mail; False if it already was. Admins hear after the commit."""
    now = now or timezone.now()
    with transaction.atomic():
        SendingState.objects.get_or_create(account_id=account_id)
        if not SendingState.objects.filter(account_id=account_id, held=False).update(
                held=True, reason=reason, detail=detail[:200], held_at=now):
            return False
        account = Account.objects.select_related("domain").get(pk=account_id)
        audit.record(None, "account.sending_held", "account", account.address, domain=account.domain.name,
                     after={"reason": reason, "detail": detail})
    log.warning("Holding the outbound mail of %s: %s", account.address, detail)
    transaction.on_commit(lambda: tell_admins(account_id))
    return True


def release(account: Account, actor, *, trust: bool = False, ip: str | None = None, now=None) -> bool:
    """Let the account's queued mail go; with trust, raise its baseline to this hour's figures."""
    from . import watch

    now = now or timezone.now()
    hour = hour_of(now)
    with transaction.atomic():
        state = SendingState.objects.select_for_update().filter(account=account, held=True).first()
        if state is None:
            return False
        state.held, state.released_at, state.released_by = False, now, actor if actor and actor.pk else None
        # What was seen this hour was looked at: hold again only from the next hour on.
        state.quiet_until = hour + timedelta(hours=1)
        update = ["held", "released_at", "released_by", "quiet_until"]
        if trust:
            figures = SendingHour.objects.filter(account=account, hour=hour).values(
                "messages", "recipients", "new_recipients").first() or {}
            state.trusted_messages = max(state.trusted_messages, figures.get("messages", 0),
                                         figures.get("recipients", 0))
            state.trusted_new_recipients = max(state.trusted_new_recipients, figures.get("new_recipients", 0))
            update += ["trusted_messages", "trusted_new_recipients"]
        state.save(update_fields=update)
        audit.record(actor, "account.sending_released_trusted" if trust else "account.sending_released", "account",
                     account.address, ip=ip, domain=account.domain.name,
                     before={"reason": state.reason, "detail": state.detail},
                     after={"trusted_messages": state.trusted_messages,
                            "trusted_new_recipients": state.trusted_new_recipients} if trust else None)
    watch.forget_usual()
    transaction.on_commit(_wake_outbound)
    return True


def _wake_outbound():
    from mailcore.delivery.queue import notify

    notify({"remote"})


def admin_addresses(account: Account) -> list[str]:
    """Where the notice goes: the domain's admins, or the superadmins when it has none."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    admins = list(users.filter(domain_grants__domain=account.domain_id).values_list("email", flat=True))
    return admins or list(users.filter(is_superuser=True).values_list("email", flat=True))


def tell_admins(account_id: int) -> None:
    """Email the domain's admins through the project's mail (queued like any message); never raises."""
    try:
        account = Account.objects.select_related("domain").get(pk=account_id)
        state = SendingState.objects.get(account=account)
        recipients = admin_addresses(account)
        if not recipients:
            return
        subject = _("Outbound mail of %(account)s is held") % {"account": account.address}
        body = _("HopThu stopped delivering the outbound mail of %(account)s: %(reason)s (%(detail)s).\n\n"
                 "Its mail stays queued. If the account was taken over, change its password and delete the "
                 "queued mail; otherwise release it on the panel's dashboard.\n") % {
            "account": account.address, "reason": state.get_reason_display(), "detail": state.detail}
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except Exception:
        log.exception("could not tell the admins about the held account %s", account_id)
