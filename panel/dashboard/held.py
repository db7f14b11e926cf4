"""Accounts whose outbound mail the sending alerts hold: the dashboard's notice and list,
and the admin's Release / Release and trust (mailcore/sending_alerts, docs/sending-alerts.md)."""
from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from mailcore.delivery.models import QueueRecipient
from mailcore.sending_alerts.holds import release
from mailcore.sending_alerts.models import SendingState

from ..access import account_to_change_or_404, admin_required, client_ip, managed_domains
from .attention import Notice


def held_accounts(user) -> list[dict]:
    """The held accounts of the user's domains, each with its reason and how much mail waits."""
    states = SendingState.objects.filter(held=True, account__domain__in=managed_domains(user))
    states = states.select_related("account__domain").order_by("held_at")
    states = list(states[:50])
    if not states:
        return []
    waiting = dict(QueueRecipient.objects.filter(
        message__account__in=[state.account_id for state in states], kind=QueueRecipient.Kind.REMOTE,
        status__in=[QueueRecipient.Status.QUEUED, QueueRecipient.Status.DEFERRED],
    ).values("message__account").annotate(n=Count("pk")).values_list("message__account", "n"))
    return [{"account": state.account, "reason": state.get_reason_display(), "detail": state.detail,
             "held_at": state.held_at, "waiting": waiting.get(state.account_id, 0)} for state in states]


def held_notices(rows: list[dict]) -> list[Notice]:
    if not rows:
        return []
    names = ", ".join(row["account"].address for row in rows[:5])
    return [Notice("bad", ngettext("The outbound mail of %(count)d account is held.",
                                   "The outbound mail of %(count)d accounts is held.", len(rows))
                   % {"count": len(rows)},
                   _("It sent in a way that looks like a stolen password: %(accounts)s. Its mail stays queued "
                     "until you release it below; if the account was taken over, change its password first.")
                   % {"accounts": names})]


@require_POST
@admin_required
def release_sending(request, pk: int):
    account = account_to_change_or_404(request, pk)
    trust = request.POST.get("trust") == "1"
    if release(account, request.user, trust=trust, ip=client_ip(request)):
        messages.success(request, _("The outbound mail of %(account)s goes out again.") % {"account": account.address}
                         if not trust else
                         _("The outbound mail of %(account)s goes out again, and its usual volume was raised to "
                           "this hour's.") % {"account": account.address})
    else:
        messages.info(request, _("The outbound mail of %(account)s was not held.") % {"account": account.address})
    return redirect("panel:home")
