"""The account's messages waiting to leave (scheduled send), with Cancel (and Edit, which
opens compose: views.scheduled_edit), and the status the undo-send notice asks for."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mailcore.delivery.models import ScheduledMessage
from mailcore.mime.headers import decode_words
from mailcore.mime.structure import parse_header_block, split_header
from mailcore.store import blobs
from webmail.access import account_required

from . import sending

PAGE_SIZE = 25
HEAD_BYTES = 16 * 1024  # enough for any sane header block; the Subject is all we show


def _subject(row) -> str:
    head = blobs.read_range(row.blob.digest, 0, HEAD_BYTES)
    return decode_words(parse_header_block(head[:split_header(head, 0, len(head))]).get("subject"))


@account_required
def scheduled(request):
    waiting = (ScheduledMessage.objects.filter(account=request.account, status=ScheduledMessage.Status.WAITING)
               .select_related("blob").only("pk", "send_at", "recipients", "blob__digest").order_by("send_at", "pk"))
    page = Paginator(waiting, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"pk": row.pk, "send_at": row.send_at, "recipients": row.recipients, "subject": _subject(row)}
            for row in page]
    return render(request, "webmail/compose/scheduled.html", {"page": page, "rows": rows})


def _back_to_drafts(request, pk: int) -> int:
    if not ScheduledMessage.objects.filter(pk=pk, account=request.account).exists():
        raise Http404
    try:
        return sending.undo(request, pk)
    except ValidationError:
        return 0


@account_required
@require_POST
def cancel(request, pk: int):
    if _back_to_drafts(request, pk):
        messages.success(request, _("The message will not be sent; it is back in Drafts."))
    else:
        messages.error(request, _("Too late: the message has already been sent."))
    return redirect("webmail:scheduled")


@account_required
def status(request, pk: int):
    """Whether a message waiting to leave has gone (for the "Sending…" notice's Undo)."""
    row = (ScheduledMessage.objects.filter(pk=pk, account=request.account)
           .only("status", "send_at", "error").first())
    if row is None:  # undone or cancelled (or another account's)
        raise Http404
    return JsonResponse({"status": row.status, "error": row.error,
                         "seconds_left": max(0.0, (row.send_at - timezone.now()).total_seconds())})
