"""Which HopThu folder each source folder goes into.

RFC 6154 special-use attributes decide first: the source's \\Sent folder fills the
account's \\Sent folder whatever either is called. A server without SPECIAL-USE (older
Exchange, Courier, Cyrus) is matched by the common names its clients use ("Sent Items",
"Deleted Items", "Gửi đi" ...). Other folders keep their names, with the source's
hierarchy delimiter replaced by HopThu's "/" (RFC 9051 §5.1.1) and the personal
namespace prefix ("INBOX." on Courier and Cyrus, RFC 2342) removed. Virtual folders
that only show mail held elsewhere (\\All, \\Flagged, RFC 6154 §2) are not copied: their
messages come with the folders that hold them.
"""
from dataclasses import dataclass

from mailcore.store.models import DELIMITER, INBOX

SPECIAL_USES = ("\\Sent", "\\Drafts", "\\Trash", "\\Junk", "\\Archive")
VIRTUAL_USES = ("\\All", "\\Flagged", "\\Important")  # RFC 6154 §2; \Important: RFC 8457
NOT_SELECTABLE = ("\\Noselect", "\\NonExistent")  # RFC 3501 §7.2.2, RFC 5258 §3.4

# Names (compared case-insensitively, last level) that other servers' clients give the
# special folders, for servers without SPECIAL-USE.
COMMON_NAMES = {
    "\\Sent": ("sent", "sent items", "sent messages", "sent mail", "đã gửi", "thư đã gửi", "gửi đi"),
    "\\Drafts": ("drafts", "draft", "thư nháp", "nháp"),
    "\\Trash": ("trash", "deleted items", "deleted messages", "deleted", "bin", "thùng rác"),
    "\\Junk": ("junk", "junk e-mail", "junk email", "spam", "bulk mail", "thư rác"),
    "\\Archive": ("archive", "archives", "lưu trữ"),
}


@dataclass(frozen=True)
class FolderPlan:
    source_name: str
    target_name: str = ""  # a folder path in HopThu, when special_use is ""
    special_use: str = ""  # "\\Sent" ...: the account's folder with this use


def _flag_text(flag) -> str:
    return flag.decode("ascii", "replace") if isinstance(flag, bytes) else str(flag)


def target_path(name: str, delimiter: str, personal_prefix: str = "") -> str:
    """The HopThu path of a source folder name: prefix removed, levels joined by "/"."""
    if personal_prefix and name.upper().startswith(personal_prefix.upper()) and len(name) > len(personal_prefix):
        name = name[len(personal_prefix):]
    if name.upper() == INBOX:
        return INBOX
    levels = name.split(delimiter) if delimiter else [name]
    # A "/" inside a level (possible where the source's delimiter is ".") would make a
    # new level here: it becomes "-" instead.
    return DELIMITER.join(level.replace(DELIMITER, "-").strip() or "_" for level in levels)


def plan_folders(listing, has_special_use: bool, personal_prefix: str = "") -> list[FolderPlan]:
    """Plans for a LIST answer [(flags, delimiter, name)], INBOX first.

    Each special use is given to one source folder only: the first with the attribute,
    else (without SPECIAL-USE) the first with a common name; a second one keeps its name.
    """
    entries = []
    for flags, delimiter, name in listing:
        flags = {_flag_text(flag).lower() for flag in flags}
        delimiter = _flag_text(delimiter) if delimiter else ""
        if flags & {flag.lower() for flag in NOT_SELECTABLE + VIRTUAL_USES}:
            continue
        entries.append((flags, delimiter, name))
    taken: set[str] = set()
    plans: dict[str, FolderPlan] = {}
    for flags, _delimiter, name in entries:  # attributes first: they outrank names
        for use in SPECIAL_USES:
            if use.lower() in flags and use not in taken and name.upper() != INBOX:
                taken.add(use)
                plans[name] = FolderPlan(name, special_use=use)
                break
    if not has_special_use:
        for _flags, delimiter, name in entries:
            if name in plans:
                continue
            path = target_path(name, delimiter, personal_prefix)
            if DELIMITER in path:
                continue  # only top-level folders are the special ones
            for use, names in COMMON_NAMES.items():
                if use not in taken and path.lower() in names:
                    taken.add(use)
                    plans[name] = FolderPlan(name, special_use=use)
                    break
    for _flags, delimiter, name in entries:
        if name not in plans:
            plans[name] = FolderPlan(name, target_name=target_path(name, delimiter, personal_prefix))
    return sorted(plans.values(), key=lambda plan: (plan.target_name != INBOX, plan.source_name))
