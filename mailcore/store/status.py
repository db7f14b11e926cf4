"""What a client reads about a folder without its messages: STATUS counts (RFC 9051
§6.3.11), the first unseen message and the keywords in use (SELECT, RFC 9051 §6.3.2)."""
from django.db.models import Count, Min, Q, Sum

from .folders import get_folder
from .models import Message
from .recent import unclaimed_count


def folder_status(account_id: int, name: str, items: list[str]) -> dict:
    """The STATUS items asked for (upper-case names), by name."""
    folder = get_folder(account_id, name)
    counts = Message.objects.filter(folder=folder).aggregate(
        messages=Count("pk"), unseen=Count("pk", filter=Q(seen=False)), deleted=Count("pk", filter=Q(deleted=True)),
        **({"size": Sum("size")} if "SIZE" in items else {}))
    values = {"MESSAGES": counts["messages"], "UIDNEXT": folder.uidnext, "UIDVALIDITY": folder.uidvalidity,
              "UNSEEN": counts["unseen"], "DELETED": counts["deleted"], "SIZE": counts.get("size") or 0,
              "HIGHESTMODSEQ": folder.highestmodseq}
    if "RECENT" in items:
        values["RECENT"] = unclaimed_count(folder)
    return {item: values[item] for item in items}


def first_unseen_uid(folder_id: int) -> int | None:
    """The lowest UID without \\Seen, or None (SELECT's [UNSEEN n], RFC 3501 §6.3.1)."""
    return Message.objects.filter(folder_id=folder_id, seen=False).aggregate(first=Min("uid"))["first"]


def folder_keywords(folder_id: int) -> list[str]:
    """The keywords set on some message of the folder, case-insensitively distinct, sorted
    (SELECT's FLAGS and PERMANENTFLAGS list them, as Dovecot does)."""
    found: dict[str, str] = {}
    for keywords in Message.objects.filter(folder_id=folder_id).values_list("keywords", flat=True).distinct():
        for keyword in keywords or ():
            found.setdefault(keyword.lower(), keyword)
    return sorted(found.values(), key=str.lower)
