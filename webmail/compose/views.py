"""Compose, reply, forward and drafts. Every form posts to webmail:compose; the button
pressed (action = send / send_later / save) decides what happens."""
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mailcore.delivery.models import ScheduledMessage
from mailcore.sizes import format_size
from mailcore.smtp import scheduled
from webmail.access import account_required
from webmail.models import preferences_for

from . import building, drafts, parsing, prefill, richtext, sending
from .forms import SAVE, SEND, SEND_LATER, ComposeForm

QUERY_REDIRECTS = {"reply": "webmail:reply", "reply_all": "webmail:reply_all", "forward": "webmail:forward"}


@account_required
def compose(request):
    if request.method == "POST":
        return _submitted(request)
    for parameter, name in QUERY_REDIRECTS.items():
        spec = parsing.parse_spec(request.GET.get(parameter, ""))
        if spec:
            return redirect(name, *spec)
    form = ComposeForm(account=request.account, initial=prefill.new(request.account, preferences_for(request.account)))
    return _page(request, form)


@account_required
def reply(request, folder_id: int, uid: int):
    return _answer(request, folder_id, uid, everyone=False)


@account_required
def reply_all(request, folder_id: int, uid: int):
    return _answer(request, folder_id, uid, everyone=True)


def _answer(request, folder_id, uid, everyone):
    original = parsing.stored(parsing.message_or_404(request.account, folder_id, uid))
    initial = prefill.reply(request.account, preferences_for(request.account), original, everyone)
    title = _("Reply to all") if everyone else _("Reply")
    return _page(request, ComposeForm(account=request.account, initial=initial), title=title)


@account_required
def forward(request, folder_id: int, uid: int):
    original = parsing.stored(parsing.message_or_404(request.account, folder_id, uid))
    carried = parsing.attachments(original)
    initial = {**prefill.forward(request.account, preferences_for(request.account), original),
               "source": f"{folder_id}:{uid}", "keep": list(range(len(carried)))}
    return _page(request, ComposeForm(account=request.account, initial=initial, carried=carried), title=_("Forward"))


@account_required
def draft(request, uid: int):
    folder = drafts.drafts_folder(request.account)
    stored = parsing.stored(parsing.message_or_404(request.account, folder.pk, uid))
    carried = parsing.attachments(stored)
    initial = {**prefill.draft(stored), "draft_uid": uid, "source": f"{folder.pk}:{uid}",
               "keep": list(range(len(carried)))}
    # A draft saved while editing a scheduled message keeps pointing at it (and its time).
    waiting = _waiting(request, request.GET.get("scheduled", ""))
    if waiting:
        initial.update(_schedule_fields(waiting[0]))
    return _page(request, ComposeForm(account=request.account, initial=initial, carried=carried),
                 title=_("Scheduled message") if waiting else _("Draft"))


@account_required
def scheduled_edit(request, pk: int):
    """A scheduled message in the compose form, its send time filled in. It stays scheduled
    as it was until the edit is sent (Schedule or Send), which replaces it."""
    if not ScheduledMessage.objects.filter(pk=pk, account=request.account).exists():
        raise Http404
    waiting = _waiting(request, str(pk))
    if waiting is None:
        messages.error(request, _("Too late: the message has already been sent."))
        return redirect("webmail:scheduled")
    row, raw = waiting
    stored = parsing.parse(raw)
    carried = parsing.attachments(stored)
    initial = {**prefill.draft(stored), **_schedule_fields(row), "keep": list(range(len(carried)))}
    return _page(request, ComposeForm(account=request.account, initial=initial, carried=carried),
                 title=_("Scheduled message"))


def _waiting(request, pk: str):
    """(row, body) of the account's scheduled message pk while it waits, else None."""
    return scheduled.waiting(request.account, int(pk)) if pk.isdigit() else None


def _scheduled_time(account, pk: str):
    """When the scheduled message being edited leaves, while it still waits."""
    if not pk.isdigit():
        return None
    return (ScheduledMessage.objects.filter(pk=int(pk), account=account, status=ScheduledMessage.Status.WAITING)
            .values_list("send_at", flat=True).first())


def _schedule_fields(row) -> dict:
    return {"scheduled": row.pk, "send_at": timezone.localtime(row.send_at).replace(second=0, microsecond=0)}


def _carried(request) -> list:
    spec = parsing.parse_spec(request.POST.get("source", ""))
    if spec is not None:
        return parsing.attachments(parsing.stored(parsing.message_or_404(request.account, *spec)))
    # The first save of a scheduled message's edit: its attachments are in the scheduled body.
    waiting = _waiting(request, request.POST.get("scheduled", ""))
    return parsing.attachments(parsing.parse(waiting[1])) if waiting else []


def _submitted(request):
    action = request.POST.get("action", SEND)
    action = action if action in (SEND, SEND_LATER, SAVE) else SEND
    form = ComposeForm(request.POST, request.FILES, account=request.account, carried=_carried(request), action=action)
    raw = _build(request, form) if form.is_valid() else None
    if raw is None:
        return _invalid(request, form)
    if action == SAVE:
        return _saved(request, form, raw)
    try:
        row = sending.send(request, form.draft, raw, form.cleaned_data["send_at"] if action == SEND_LATER else None,
                           replaces=form.cleaned_data["scheduled"])
    except ValidationError as error:
        if isinstance(error, sending.TooLate):
            form.data = form.data.copy()
            form.data["scheduled"] = ""  # what is left to do is a new message
        for field, errors in error.message_dict.items():
            form.add_error(None if field == "__all__" else field, errors)
        return _invalid(request, form)
    if form.cleaned_data["draft_uid"]:
        drafts.discard(request.account, form.cleaned_data["draft_uid"])
    sending.announce(request, row)
    return redirect("webmail:scheduled" if action == SEND_LATER else "webmail:index")


def _build(request, form) -> bytes | None:
    """The message from a valid form; None (with a form error) when it is too large."""
    data = form.cleaned_data
    uploads = [building.Attachment(upload.name, upload.content_type or "application/octet-stream", upload.read())
               for upload in data["attachments"]]
    kept = [form.carried[index] for index in sorted(set(data["keep"]))]
    form.draft = building.Draft(
        sender=(request.account.display_name, data["from_address"]),
        to=data["to"], cc=data["cc"], bcc=data["bcc"], subject=data["subject"],
        text=sending_text(data), html=data["html"], attachments=kept + uploads,
        in_reply_to=data["in_reply_to"], references=data["references"])
    raw = building.build(form.draft, request.account.domain.name)
    if len(raw) > settings.HOPTHU_MAX_MESSAGE_SIZE:
        form.add_error("attachments", _("The message would be %(size)s; at most %(limit)s may be sent.") % {
            "size": format_size(len(raw)), "limit": format_size(settings.HOPTHU_MAX_MESSAGE_SIZE)})
        return None
    return raw


def sending_text(data) -> str:
    return richtext.to_text(data["html"]) if data["html"] else data["body"]


def _saved(request, form, raw):
    uid = drafts.save(request.account, raw, form.cleaned_data["draft_uid"])
    if _wants_json(request):
        folder = drafts.drafts_folder(request.account)
        return JsonResponse({"uid": uid, "source": f"{folder.pk}:{uid}", "attachments": [
            {"index": index, "name": attachment.filename, "size": len(attachment.data)}
            for index, attachment in enumerate(form.draft.attachments)]})
    messages.success(request, _("Draft saved."))
    editing = form.cleaned_data["scheduled"]
    return redirect(reverse("webmail:draft", args=[uid]) + (f"?scheduled={editing}" if editing else ""))


def _invalid(request, form):
    if _wants_json(request):
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    return _page(request, form, status=400)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _page(request, form, status=200, title=None):
    carried = [{"index": index, "name": attachment.filename, "size": len(attachment.data)}
               for index, attachment in enumerate(form.carried)]
    kept = {int(value) for value in (form["keep"].value() or []) if str(value).isdigit()}
    editor_html = mark_safe(richtext.sanitize(form["html"].value() or ""))  # noqa: S308  (bleach-cleaned)
    send_at = _scheduled_time(request.account, str(form["scheduled"].value() or ""))
    return render(request, "webmail/compose/compose.html", {
        "scheduled_for": timezone.localtime(send_at) if send_at else None,
        "form": form, "title": title or _("New message"), "carried": carried,
        "kept": kept, "max_size": settings.HOPTHU_MAX_MESSAGE_SIZE,
        "max_size_text": format_size(settings.HOPTHU_MAX_MESSAGE_SIZE),
        "rich": bool(editor_html), "editor_html": editor_html, "contacts_url": reverse("webmail:contacts"),
    }, status=status)


@account_required
@require_POST
def undo_send(request, pk: int):
    try:
        uid = sending.undo(request, pk)
    except ValidationError:
        messages.error(request, _("Too late: the message has already been sent."))
        return redirect("webmail:index")
    messages.info(request, _("Sending was undone; the message is back in Drafts."))
    return redirect("webmail:draft", uid)
