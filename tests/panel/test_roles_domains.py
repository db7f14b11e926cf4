"""Who may use which domain view: a domain admin (owner of example.test) must not see or
change example.org by guessing its name, in either label, nor reach superadmin-only views."""
import pytest
from django.contrib.auth import get_user_model

from mailcore.audit.models import AuditEntry
from mailcore.directory.models import Domain, DomainAdmin
from mailcore.directory.services import create_domain_alias, set_catch_all
from tests.panel.roles import (
    assert_forbidden,
    assert_not_found,
    assert_refuses_mail_user,
    assert_sends_to_sign_in,
)

# Views a domain admin may use on their own domains: (method, path under the domain, data).
ADMIN_VIEWS = [
    ("get", "", None),
    ("post", "policy/", {"dmarc_reject": ""}),
    ("post", "catch-all/", {"targets": "alice@example.test"}),
    ("get", "dkim/", None),
    ("post", "dkim/new/", None),
    ("post", "dkim/use/", {"force": "on"}),
    ("post", "dkim/discard/", None),
]
# Views only a superadmin may use.
SUPER_VIEWS = [
    ("post", "limits/", {"max_accounts": "1", "max_aliases": "0", "total_quota": "0", "default_quota": "0"}),
    ("post", "active/", {"active": "0"}),
    ("get", "delete/", None),
    ("post", "delete/", {"mail": "remove", "confirm": "example.org"}),
    ("post", "aliases/", {"alias_name": "alias.example"}),
]
SUPER_PAGES = [
    ("get", "/panel/domains/add/", None),
    ("post", "/panel/domains/add/", {"name": "new.example"}),
    ("get", "/panel/domains/admins/", None),
    ("get", "/panel/domains/admins/add/", None),
    ("post", "/panel/domains/admins/add/", {"kind": "new", "new-username": "x", "new-password": "p",
                                             "new-domain": "example.org"}),
]


def _url(name, path):
    return f"/panel/domains/{name}/{path}"


@pytest.fixture
def ví_dụ(db):
    """A second foreign domain with an IDN name, to guess by U-label and A-label."""
    from mailcore.directory.services import create_domain

    return create_domain("ví-dụ.vn")


def _snapshot():
    return (list(Domain.objects.order_by("pk").values()), AuditEntry.objects.count(),
            list(DomainAdmin.objects.values_list("user_id", "domain_id")))


@pytest.mark.parametrize("method,path,data", ADMIN_VIEWS + SUPER_VIEWS)
def test_a_signed_out_visitor_is_sent_to_sign_in(method, path, data, domain):
    assert_sends_to_sign_in(method, _url("example.test", path), data)


@pytest.mark.parametrize("method,path,data", ADMIN_VIEWS + SUPER_VIEWS)
def test_a_mail_user_is_refused(method, path, data, alice):
    assert_refuses_mail_user(alice, method, _url("example.test", path), data)


@pytest.mark.parametrize("method,path,data", ADMIN_VIEWS)
@pytest.mark.parametrize("name", ["example.org", "EXAMPLE.ORG", "ví-dụ.vn", "xn--v-d-rma6749a.vn", "nowhere.test"])
def test_a_domain_admin_cannot_see_or_change_another_domain(method, path, data, name, owner_client, ví_dụ,
                                                             charlie):
    set_catch_all("example.org", ["charlie@example.org"])
    before = _snapshot()
    assert_not_found(owner_client, method, _url(name, path), data)
    assert _snapshot() == before


@pytest.mark.parametrize("method,path,data", SUPER_VIEWS)
def test_superadmin_views_are_forbidden_to_a_domain_admin_even_on_their_domain(method, path, data,
                                                                              owner_client):
    before = _snapshot()
    assert_forbidden(owner_client, method, _url("example.test", path), {**(data or {}), "confirm": "example.test"})
    assert _snapshot() == before


@pytest.mark.parametrize("method,url,data", SUPER_PAGES)
def test_superadmin_pages_are_forbidden_to_a_domain_admin(method, url, data, owner_client):
    before = (_snapshot(), get_user_model().objects.count())
    assert_forbidden(owner_client, method, url, data)
    assert (_snapshot(), get_user_model().objects.count()) == before


def test_admin_pages_of_a_user_are_forbidden_to_a_domain_admin(owner_client, domain_admin, other_domain):
    for method, url in [("get", f"/panel/domains/admins/{domain_admin.pk}/"),
                        ("post", f"/panel/domains/admins/{domain_admin.pk}/grant/"),
                        ("post", f"/panel/domains/admins/{domain_admin.pk}/revoke/example.test/")]:
        assert_forbidden(owner_client, method, url, {"domain": "example.org"})
    assert list(domain_admin.domain_grants.values_list("domain__name", flat=True)) == ["example.test"]


def test_the_domain_list_shows_a_domain_admin_only_their_domains(owner_client, ví_dụ):
    response = owner_client.get("/panel/domains/")
    assert [d.name for d in response.context["listing"].objects] == ["example.test"]
    assert b"example.org" not in response.content and "ví-dụ".encode() not in response.content


def test_the_domain_list_search_cannot_find_another_domain(owner_client):
    response = owner_client.get("/panel/domains/", {"q": "example.org"})
    assert list(response.context["listing"].objects) == []


def test_a_superadmin_cannot_remove_another_domain_s_alias_through_this_domain(super_client, domain, other_domain):
    create_domain_alias("alias.example", "example.org")
    assert_not_found(super_client, "post", "/panel/domains/example.test/aliases/alias.example/remove/")
    assert other_domain.domain_aliases.filter(name="alias.example").exists()


def test_a_domain_admin_s_catch_all_cannot_reach_into_another_domain_s_accounts_by_name_only(owner_client,
                                                                                           charlie):
    # Targets may be outside addresses (forwarding is allowed), but the form cannot
    # change example.org's catch-all: it is always the domain of the URL.
    response = owner_client.post("/panel/domains/example.test/catch-all/", {"targets": "charlie@example.org"})
    assert response.status_code == 302
    assert not Domain.objects.get(name="example.org").aliases.exists()


@pytest.mark.parametrize("method,path,data", ADMIN_VIEWS)
def test_the_same_views_work_for_the_domain_admin_on_their_own_domain(method, path, data, owner_client, alice):
    # The control for the 404s above: the views answer, so the 404 came from the lookup.
    response = owner_client.post(_url("example.test", path), data or {}) if method == "post" \
        else owner_client.get(_url("example.test", path))
    assert response.status_code in (200, 302), (path, response.status_code)
