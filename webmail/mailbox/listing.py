"""The message list of a folder (or of a search), sorted and paged, and its live updates."""
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from mailcore.store import listing
from mailcore.store.folders import get_folder
from mailcore.store.models import INBOX
from webmail.access import account_required, folder_or_404
from webmail.models import preferences_for

SORT_LABELS = {"date": pgettext_lazy("date column", "Received"), "from": _("From"), "to": _("To"),
               "subject": _("Subject"), "size": _("Size")}
MAX_PAGE = 100_000


def list_params(request) -> dict:
    sort = request.GET.get("sort", "date")
    page = request.GET.get("page", "1")
    return {
        "sort": sort if sort in listing.SORTS else "date",
        "descending": request.GET.get("dir", "desc") != "asc",
        "page": min(int(page), MAX_PAGE) if page.isdigit() and int(page) > 0 else 1,
    }


def list_url(request) -> str:
    """This list's address without the live-update flag: where actions come back to."""
    query = request.GET.copy()
    query.pop("fragment", None)
    return f"{request.path}?{query.urlencode()}" if query else request.path


def _list_context(request, folder, page, params, conversations=False) -> dict:
    return {
        "folder": folder, "page": page, "params": params, "conversations": conversations,
        "sort_labels": SORT_LABELS, "list_url": list_url(request),
        "page_number": params["page"], "shows_recipients": folder.special_use in ("\\Sent", "\\Drafts"),
    }


def _render_list(request, context):
    template = "webmail/mailbox/_list.html" if request.GET.get("fragment") else "webmail/mailbox/folder.html"
    return render(request, template, context)


@account_required
def index(request):
    return redirect("webmail:folder", get_folder(request.account.pk, INBOX).pk)


@account_required
def folder_view(request, folder_id):
    folder = folder_or_404(request, folder_id)
    params = list_params(request)
    preferences = preferences_for(request.account)
    size = preferences.page_size
    offset = (params["page"] - 1) * size
    if preferences.conversations and params["sort"] == "date":
        page = listing.folder_conversations(folder.pk, params["descending"], offset, size)
        conversations = True
    else:
        page = listing.folder_page(folder.pk, params["sort"], params["descending"], offset, size)
        conversations = False
    context = _list_context(request, folder, page, params, conversations)
    context["grouping"] = preferences.conversations
    return _render_list(request, context)


@account_required
def search(request):
    """Search results: the folder list's table and bulk actions (acting through search/act/),
    with a Folder column when the page's messages come from more than one folder."""
    query = request.GET.get("q", "").strip()
    params = list_params(request)
    inbox = get_folder(request.account.pk, INBOX)
    size = preferences_for(request.account).page_size
    context = {"search_query": query, "params": params, "sort_labels": SORT_LABELS, "page_number": params["page"],
               "folder": None, "search_folder": inbox, "error": None, "page": None, "list_url": list_url(request),
               "shows_recipients": False, "conversations": False, "acts_on_found": True}
    if query:
        try:
            context["page"] = listing.search_page(
                request.account.pk, query, timezone.get_current_timezone(), params["sort"], params["descending"],
                (params["page"] - 1) * size, size)
        except ValidationError as error:
            context["error"] = " ".join(error.messages)
    if context["page"] is not None:
        context["shows_folder"] = len({row.folder_id for row in context["page"].rows}) > 1
    return render(request, "webmail/mailbox/search.html", context)


@require_POST
@account_required
def toggle_conversations(request):
    preferences = preferences_for(request.account)
    preferences.conversations = not preferences.conversations
    preferences.save(update_fields=["conversations"])
    folder_id = request.POST.get("folder", "")
    if not folder_id.isdigit():
        return redirect("webmail:index")
    return redirect("webmail:folder", folder_or_404(request, int(folder_id)).pk)
