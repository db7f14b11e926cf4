from django.shortcuts import redirect, render

from mailcore.store.folders import get_folder
from mailcore.store.models import INBOX
from webmail.access import account_required, folder_or_404


@account_required
def index(request):
    return redirect("webmail:folder", get_folder(request.account.pk, INBOX).pk)


@account_required
def folder_view(request, folder_id):
    folder = folder_or_404(request, folder_id)
    return render(request, "webmail/placeholder.html", {"folder": folder})


@account_required
def search(request):
    return render(request, "webmail/placeholder.html")
