"""An account's data as an admin handles it for its owner: deleted mail to recover
(docs/recovery.md), and later its export and erasure (docs/export.md).

Reached through account_to_change_or_404, as for deleting the account: a domain admin
works only on accounts of their domains whose users hold no more power than they do.
Every recovery writes an audit entry with the count, not the messages.
"""
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from mailcore.store.recovery import recover, recoverable, recovery_days

from ..access import account_to_change_or_404, admin_required, audit

PAGE_SIZE = 50


def _say_recovered(request, result):
    count = len(result.recovered)
    if count:
        messages.success(request, ngettext("%(count)d message was recovered.", "%(count)d messages were recovered.",
                                           count) % {"count": count})
    if result.refused is not None:
        messages.error(request, " ".join(result.refused.messages))
    elif not count:
        messages.info(request, _("Nothing was recovered: choose the messages to recover first."))


@admin_required
@require_http_methods(["GET", "POST"])
def account_deleted_mail(request, pk):
    account = account_to_change_or_404(request, pk)
    if request.method == "POST":
        ids = [int(value) for value in request.POST.getlist("message") if value.isdigit()]
        result = recover(account.pk, ids)
        if result.recovered:
            audit(request, "account.recover", account, domain=account.domain.name,
                  after={"messages_recovered": len(result.recovered)})
        _say_recovered(request, result)
        return redirect(request.get_full_path())
    query = request.GET.get("q", "").strip()[:200]
    page = Paginator(recoverable(account.pk, query), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "panel/accounts/deleted_mail.html",
                  {"account": account, "page": page, "query": query, "days": recovery_days()})
