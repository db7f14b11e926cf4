"""A user's held mail. Only messages with a recipient row of request.account are found, and
release or delete act on that account's copy alone (mailcore/filters/quarantine.py).

Users release spam themselves; mail held for a virus or a blocked attachment is released
by an admin only, since delivering it is what the domain's policy forbids (the user can
still delete it). docs/filters-quarantine.md.
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mailcore.audit import log as audit_log
from mailcore.filters import quarantine as held
from mailcore.filters.models import QuarantinedMessage, QuarantineRecipient
from webmail.access import account_required

PAGE_SIZE = 50


def _mine(request):
    rows = QuarantineRecipient.objects.filter(message=OuterRef("pk"), account=request.account)
    return QuarantinedMessage.objects.filter(Exists(rows), status=QuarantinedMessage.Status.HELD)


def _message_or_404(request, pk) -> QuarantinedMessage:
    message = _mine(request).select_related("blob").filter(pk=pk).first()
    if message is None:
        raise Http404
    return message


def user_may_release(message) -> bool:
    # A virus is never handed to a user by the user's own click: only an admin can.
    return message.kind != QuarantinedMessage.Kind.VIRUS


@account_required
def quarantine(request):
    page = Paginator(_mine(request).order_by("-received_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "webmail/quarantine/list.html", {"page": page})


@account_required
def detail(request, pk):
    message = _message_or_404(request, pk)
    return render(request, "webmail/quarantine/detail.html", {
        "message": message, "headers": held.header_summary(message), "may_release": user_may_release(message)})


@require_POST
@account_required
def release(request, pk):
    message = _message_or_404(request, pk)
    if not user_may_release(message):
        raise PermissionDenied
    if held.release(message, request.user, account=request.account):
        _audit(request, "quarantine.release", message)
        messages.success(request, _("The message is being delivered to your Inbox."))
    return redirect("webmail:quarantine")


@require_POST
@account_required
def delete(request, pk):
    message = _message_or_404(request, pk)
    if held.delete(message, request.user, account=request.account):
        _audit(request, "quarantine.delete", message)
        messages.success(request, _("The message was deleted."))
    return redirect("webmail:quarantine")


def _audit(request, action, message):
    # Admins see in the audit log who released or deleted held mail, users included.
    audit_log.record(request.user, action, "quarantine", f"{message.subject or '-'} <{message.mail_from or '-'}>",
                     ip=request.META.get("REMOTE_ADDR"), domain=request.account.domain.name,
                     after={"recipients": [request.account.address], "kind": message.kind})
