"""Space the store takes, for the panel's dashboard (read side; plain numbers)."""
from django.db.models import Sum

from .models import Blob


def blob_bytes() -> int:
    """Bytes of every stored message body, each counted once however many mailboxes share it."""
    return Blob.objects.aggregate(total=Sum("size"))["total"] or 0
