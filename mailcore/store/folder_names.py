"""A folder as people read its name: Inbox and the special-use folders (RFC 6154) in the
reader's language, the others as they were named. IMAP keeps the English names; only
menus and lists translate them."""
from django.utils.translation import gettext_lazy as _

from .models import DELIMITER, INBOX

SPECIAL_LABELS = {
    "\\Drafts": _("Drafts"),
    "\\Sent": _("Sent"),
    "\\Archive": _("Archive"),
    "\\Junk": _("Junk"),
    "\\Trash": _("Trash"),
}


def folder_label(folder) -> str:
    if folder.name == INBOX:
        return str(_("Inbox"))
    if folder.special_use in SPECIAL_LABELS and DELIMITER not in folder.name:
        return str(SPECIAL_LABELS[folder.special_use])
    return folder.name
