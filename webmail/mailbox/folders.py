"""Creating, renaming and deleting the user's folders (special-use folders stay)."""
from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mailcore.store.errors import StoreError
from mailcore.store.folders import create_folder, delete_folder, list_folders, rename_folder
from mailcore.store.lookup import folder_by_id
from mailcore.store.models import DELIMITER, INBOX
from mailcore.store.subscriptions import unsubscribe
from webmail.access import account_required
from webmail.sidebar import folder_label, ordered

MAX_NAME = 200


class FolderForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=MAX_NAME)
    parent = forms.ChoiceField(label=gettext_lazy("Inside"), required=False)

    def __init__(self, *args, folders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", gettext_lazy("(top level)"))] + [
            (folder.name, folder_label(folder)) for folder in ordered(folders)]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if DELIMITER in name:
            raise forms.ValidationError(_("A folder name cannot contain “%(delimiter)s”.") % {"delimiter": DELIMITER})
        return name

    def full_name(self):
        parent = self.cleaned_data.get("parent")
        return f"{parent}{DELIMITER}{self.cleaned_data['name']}" if parent else self.cleaned_data["name"]


def _user_folder(account, pk):
    folder = folder_by_id(account.pk, pk)
    if folder is None or folder.name == INBOX or folder.special_use:
        raise StoreError(_("Only your own folders can be renamed or deleted."))
    return folder


def _change(request, folders):
    """Handle one POSTed change; return the create form (bound if it failed)."""
    account, action = request.account, request.POST.get("action")
    if action == "create":
        form = FolderForm(request.POST, folders=folders)
        if form.is_valid():
            try:
                create_folder(account.pk, form.full_name())
            except StoreError as error:
                form.add_error("name", error)
                return form
            messages.success(request, _("Folder %(name)s created.") % {"name": form.full_name()})
            return None
        return form
    folder = _user_folder(account, request.POST.get("folder"))
    if action == "rename":
        new_leaf = request.POST.get("name", "").strip()
        if not new_leaf or DELIMITER in new_leaf or len(new_leaf) > MAX_NAME:
            raise StoreError(_("Give the folder a new name without “%(delimiter)s”.") % {"delimiter": DELIMITER})
        parent = folder.name.rpartition(DELIMITER)[0]
        rename_folder(account.pk, folder.name, f"{parent}{DELIMITER}{new_leaf}" if parent else new_leaf)
        messages.success(request, _("Folder renamed."))
    elif action == "delete":
        delete_folder(account.pk, folder.name)
        # IMAP keeps a deleted folder's subscription (RFC 9051 §6.3.6); a person who
        # deletes a folder here means it gone from their mail clients' lists too.
        unsubscribe(account.pk, folder.name)
        messages.success(request, _("Folder %(name)s deleted with its messages.") % {"name": folder.name})
    return None


@account_required
def manage(request):
    folders = list_folders(request.account.pk)
    form = FolderForm(folders=folders)
    if request.method == "POST":
        try:
            failed = _change(request, folders)
        except StoreError as error:
            messages.error(request, " ".join(error.messages))
            failed = None
        if failed is None:
            return redirect("webmail:folders")
        form = failed
    own = [f for f in folders if f.name != INBOX and not f.special_use]
    return render(request, "webmail/mailbox/folders.html", {"form": form, "own_folders": own})
