"""Settings: "Recover deleted messages" (docs/recovery.md).

Lists the account's recoverable mail (mailcore.store.recovery), searchable by subject and
sender, and puts the chosen messages back into their folders through the store.
"""
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mailcore.store.recovery import recover, recoverable, recovery_days
from webmail.access import account_required

PAGE_SIZE = 50


def say_recovered(request, result) -> None:
    """Tell the user what recover() did: how many came back, and why the rest did not."""
    count = len(result.recovered)
    if count:
        messages.success(request, ngettext("%(count)d message was recovered.", "%(count)d messages were recovered.",
                                           count) % {"count": count})
    if result.refused is not None:
        messages.error(request, " ".join(result.refused.messages))
    elif not count:
        messages.info(request, _("Nothing was recovered: choose the messages to recover first."))


def chosen_ids(request) -> list[int]:
    return [int(value) for value in request.POST.getlist("message") if value.isdigit()]


@account_required
def deleted_mail(request):
    if request.method == "POST":
        say_recovered(request, recover(request.account.pk, chosen_ids(request)))
        return redirect(request.get_full_path())
    query = request.GET.get("q", "").strip()[:200]
    page = Paginator(recoverable(request.account.pk, query), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "webmail/preferences/deleted_mail.html", {
        "section": "deleted_mail", "page": page, "query": query, "days": recovery_days()})
