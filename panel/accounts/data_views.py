"""An account's data as an admin handles it for its owner: deleted mail to recover
(docs/recovery.md), its export and its erasure (docs/export.md).

Reached through account_to_change_or_404, as for deleting the account: a domain admin
works only on accounts of their domains whose users hold no more power than they do.
Every recovery and export writes an audit entry, with a count, never the messages.
"""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from mailcore.accountdata.archive import export_filename, export_stream
from mailcore.accountdata.erase import erase_account
from mailcore.store.recovery import recover, recoverable, recovery_days

from ..access import account_to_change_or_404, admin_required, audit, client_ip
from .forms import DeleteForm

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


@admin_required
@require_http_methods(["GET", "POST"])
def account_export(request, pk):
    """GET: what the export holds; POST: the zip, streamed (mailcore.accountdata.archive)."""
    account = account_to_change_or_404(request, pk)
    if request.method == "GET":
        return render(request, "panel/accounts/account_export.html", {"account": account})
    audit(request, "account.export", account, domain=account.domain.name)
    response = StreamingHttpResponse(export_stream(account), content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(True, export_filename(account))
    response["Cache-Control"] = "no-store"
    return response


@admin_required
@require_http_methods(["GET", "POST"])
def account_erase(request, pk):
    """Erase the account with its mail and logs (GDPR); the admin types its address first.
    Who may: as for deleting it. The erase leaves its own audit entry (erase.py)."""
    account = account_to_change_or_404(request, pk)
    form = DeleteForm(request.POST or None, expected=(account.address, account.display_address.lower()))
    if request.method == "POST" and form.is_valid():
        try:
            erased = erase_account(account.address, request.user, ip=client_ip(request))
        except ValidationError as exc:
            form.add_error(None, [m for messages_ in exc.message_dict.values() for m in messages_])
        else:
            messages.success(request, _("The account %(address)s was erased with its mail and logs.") % {
                "address": erased.address})
            return redirect("panel:account_list")
    return render(request, "panel/accounts/account_erase.html", {"account": account, "form": form})
