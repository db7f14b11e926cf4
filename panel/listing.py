"""Every panel list is paged, sortable and searchable the same way: ?q=, ?sort=, ?page=.

A view builds a Listing from its queryset and the columns it allows sorting by; the
templates panel/includes/list_search.html, sort_header (a tag) and pager.html render it.
Only whitelisted sort keys reach order_by, so a crafted ?sort= cannot probe other fields.
Names and addresses sort in reading order through stored, indexed keys
(mailcore/collation.py), and a page is fetched as its ids first (_page).
"""
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Q

from mailcore.folding import search_key

PER_PAGE = 50


@dataclass
class Listing:
    page: object  # django.core.paginator.Page
    query: str
    sort: str  # the key, "-" prefixed when descending
    params: dict = field(default_factory=dict)  # the other filters, kept across links

    @property
    def objects(self):
        return self.page.object_list

    def url(self, **changes) -> str:
        """The query string for this list with some parameters changed."""
        params = {**self.params, "q": self.query, "sort": self.sort, "page": self.page.number, **changes}
        return "?" + urlencode({key: value for key, value in params.items() if value not in ("", None, 1)})

    def sort_url(self, key: str) -> str:
        descending = self.sort == key  # clicking the current column flips it
        return self.url(sort=f"-{key}" if descending else key, page=1)

    def sort_state(self, key: str) -> str:
        if self.sort == key:
            return "ascending"
        if self.sort == f"-{key}":
            return "descending"
        return "none"


def build_listing(request, queryset, *, sorts: dict, default: str, search: tuple = (), folded: tuple = (),
                  per_page: int = PER_PAGE, params: dict | None = None) -> Listing:
    """Filter by ?q= over `search` fields, order by a whitelisted ?sort=, then page.

    `folded` names stored search keys (mailcore.folding.search_key) that the query is
    folded for, so "nguyen" finds "Nguyễn". sorts maps a public key to an order_by
    expression or a tuple of them.
    """
    query = request.GET.get("q", "").strip()[:200]
    matches = [Q(**{f"{name}__icontains": query}) for name in search]
    if key := search_key(query):
        matches += [Q(**{f"{name}__contains": key}) for name in folded]
    if query and matches:
        queryset = queryset.filter(reduce(or_, matches))
    sort = request.GET.get("sort", default)
    key = sort.removeprefix("-")
    if key not in sorts:
        sort, key = default, default.removeprefix("-")
    order = sorts[key] if isinstance(sorts[key], tuple) else (sorts[key],)
    if sort.startswith("-"):
        order = tuple(f"-{name}" if not name.startswith("-") else name[1:] for name in order)
    queryset = queryset.order_by(*order, "-pk" if sort.startswith("-") else "pk")
    return Listing(page=_page(queryset, per_page, request.GET.get("page")), query=query, sort=sort,
                   params=params or {})


def _page(queryset, per_page: int, number):
    """A page in two queries, as the webmail's message list does: the ids of the page
    walked along the sort's index (from the index alone, whatever the page's depth),
    then those rows with what the view joins. Skipping 100,000 rows of the joined
    query itself costs 20 times more."""
    page = Paginator(queryset.values_list("pk", flat=True), per_page).get_page(number)
    ids = list(page.object_list)
    rows = queryset.order_by().in_bulk(ids)
    page.object_list = [rows[pk] for pk in ids if pk in rows]
    return page
