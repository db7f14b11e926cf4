"""The delivery log and the queue: QueueRecipient rows with their message, one query a page."""
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from mailcore.delivery import queue_admin
from mailcore.delivery.models import QueuedMessage, QueueRecipient

from ..access import admin_required, audit, managed_domains
from ..listing import build_listing
from .forms import DeliveryFilterForm
from .scope import mail_of, owner_domain, visible_recipients, with_aliases

COLUMNS = ("message", "address", "kind", "domain", "status", "attempts", "next_attempt", "last_result", "finished_at",
           "message__received_at", "message__mail_from", "message__message_id", "message__source",
           "message__size")
SORTS = {"time": "message__received_at", "from": "message__mail_from", "to": "address", "status": "status",
         "attempts": "attempts", "next": "next_attempt"}
SEARCH = ("address", "message__mail_from", "message__message_id")


def _rows(request):
    rows = QueueRecipient.objects.select_related("message").only(*COLUMNS)
    return visible_recipients(request, rows)


def _filtered(request, rows):
    domains = list(managed_domains(request.user).order_by("sort_key", "name").values_list("name", flat=True))
    form = DeliveryFilterForm(request.GET or None, domains=domains)
    if not form.is_valid():
        return form, rows, {}
    data = form.cleaned_data
    if data["status"]:
        rows = rows.filter(status=data["status"])
    direction = data["direction"]
    if direction == "in":
        rows = rows.filter(message__source=QueuedMessage.Source.MX)
    elif direction == "out":
        rows = rows.filter(kind=QueueRecipient.Kind.REMOTE)
    elif direction == "local":
        rows = rows.filter(kind=QueueRecipient.Kind.LOCAL).exclude(message__source=QueuedMessage.Source.MX)
    if data["domain"]:
        rows = rows.filter(mail_of(with_aliases(data["domain"])))
    start, end = form.time_range()
    if start:
        rows = rows.filter(message__received_at__gte=start)
    if end:
        rows = rows.filter(message__received_at__lt=end)
    params = {key: value for key, value in request.GET.items() if key in form.fields and value}
    return form, rows, params


@admin_required
def delivery_log(request):
    form, rows, params = _filtered(request, _rows(request))
    listing = build_listing(request, rows, sorts=SORTS, default="-time", search=SEARCH, params=params)
    return render(request, "panel/activity/delivery_log.html", {"listing": listing, "form": form})


@admin_required
def queue(request):
    rows = _rows(request).filter(status__in=queue_admin.WAITING)
    listing = build_listing(request, rows, sorts=SORTS, default="next", search=SEARCH)
    return render(request, "panel/activity/queue.html", {"listing": listing})


def _selected(request) -> list[QueueRecipient]:
    """The posted rows, each visible to this admin: one id that is not is a 404."""
    try:
        ids = {int(value) for value in request.POST.getlist("id")}
    except ValueError:
        raise Http404 from None
    rows = list(_rows(request).filter(pk__in=ids))
    if len(rows) != len(ids):
        raise Http404
    return rows


def _audited(request, action: str, rows, change, after: dict) -> int:
    done = change(rows)
    for row in rows:
        if row.status in queue_admin.WAITING:
            audit(request, action, f"{row.address} ({row.message.message_id or row.message.pk})",
                  domain=owner_domain(row), before={"status": row.status, "last_result": row.last_result},
                  after=after)
    return done


@require_POST
@admin_required
def queue_retry(request):
    done = _audited(request, "queue.retry", _selected(request), queue_admin.retry_now, {"retry": "now"})
    _report(request, done, ngettext("%(count)d recipient will be tried now.",
                                    "%(count)d recipients will be tried now.", done))
    return redirect("panel:queue")


@require_POST
@admin_required
def queue_delete(request):
    done = _audited(request, "queue.delete", _selected(request), queue_admin.remove,
                    {"status": QueueRecipient.Status.FAILED, "last_result": queue_admin.REMOVED_REPLY})
    _report(request, done, ngettext("%(count)d recipient was removed from the queue.",
                                    "%(count)d recipients were removed from the queue.", done))
    return redirect("panel:queue")


def _report(request, done: int, text: str):
    if done:
        messages.success(request, text % {"count": done})
    else:
        messages.info(request, _("Nothing selected was waiting any more."))
