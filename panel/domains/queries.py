"""The domain list's figures, each a subquery: one SQL query for the whole page, no N+1,
and no row multiplication (joining accounts and aliases at once would count each twice)."""
import idna
from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from mailcore.directory.models import Account, Alias


def _per_domain(model, aggregate):
    rows = model.objects.filter(domain=OuterRef("pk")).order_by().values("domain")
    return Coalesce(Subquery(rows.annotate(value=aggregate).values("value")), 0)


def with_usage(domains):
    """Annotate account_count, alias_count and used_bytes on a Domain queryset."""
    return domains.annotate(
        account_count=_per_domain(Account, Count("pk")),
        alias_count=_per_domain(Alias, Count("pk")),
        used_bytes=Coalesce(_per_domain(Account, Sum("used_bytes")), 0, output_field=IntegerField()),
    )


def to_alabels(text: str) -> str | None:
    """A search text in U-labels as A-labels, label by label, so "ví-dụ" finds ví-dụ.vn."""
    try:
        return ".".join(idna.encode(label, uts46=True).decode("ascii") if not label.isascii() else label.lower()
                        for label in text.strip().split("."))
    except idna.IDNAError:
        return None
