"""panel.listing: search, whitelisted sort both ways, paging that keeps the other parameters."""
from mailcore.directory.models import Domain
from mailcore.directory.services import create_domain
from panel.listing import build_listing


def _names(listing):
    return [domain.name for domain in listing.objects]


def test_a_list_is_searched_sorted_and_paged(rf, db):
    for name in ("c.test", "a.test", "b.test", "ab.example"):
        create_domain(name)
    listing = build_listing(rf.get("/", {"q": "test", "sort": "-name"}), Domain.objects.all(),
                            sorts={"name": "name"}, default="name", search=("name",), per_page=2)
    assert _names(listing) == ["c.test", "b.test"]
    assert listing.page.paginator.count == 3
    assert listing.url(page=2) == "?q=test&sort=-name&page=2"
    assert listing.sort_url("name") == "?q=test&sort=name"


def test_an_unknown_sort_key_falls_back_to_the_default(rf, db):
    create_domain("b.test")
    create_domain("a.test")
    listing = build_listing(rf.get("/", {"sort": "password"}), Domain.objects.all(),
                            sorts={"name": "name"}, default="name")
    assert listing.sort == "name" and _names(listing) == ["a.test", "b.test"]
