"""A domain's catch-all (its admins set it) and domain aliases (superadmin only)."""
from mailcore.audit.models import AuditEntry
from mailcore.directory.addresses import parse_address
from mailcore.directory.lookup import route
from mailcore.directory.models import Alias, DomainAlias


def test_a_domain_admin_sets_and_removes_the_catch_all(owner_client, alice, bob):
    response = owner_client.post("/panel/domains/example.test/catch-all/",
                                 {"targets": "alice@example.test\nbob@example.test"})
    assert response.status_code == 302
    _handler, targets = route(parse_address("nobody@example.test"))
    assert targets == ["alice@example.test", "bob@example.test"]
    owner_client.post("/panel/domains/example.test/catch-all/", {"targets": ""})
    assert not Alias.objects.exists()
    assert [e.after for e in AuditEntry.objects.order_by("pk")] == [
        {"targets": ["alice@example.test", "bob@example.test"]}, {"targets": []}]


def test_an_unknown_local_target_is_reported_on_the_targets_field(owner_client, domain):
    response = owner_client.post("/panel/domains/example.test/catch-all/", {"targets": "ghost@example.test"})
    assert response.status_code == 400
    assert "ghost@example.test" in response.context["catch_all_form"].errors["targets"][0]
    assert not Alias.objects.exists()


def test_the_alias_limit_is_reported_on_the_targets_field(owner_client, domain, alice):
    domain.max_aliases = 1
    domain.save()
    from mailcore.directory.services import create_alias

    create_alias("sales@example.test", ["alice@example.test"])
    response = owner_client.post("/panel/domains/example.test/catch-all/", {"targets": "alice@example.test"})
    assert "limit of 1 aliases" in response.context["catch_all_form"].errors["targets"][0]


def test_a_superadmin_adds_and_removes_a_domain_alias(super_client, domain):
    response = super_client.post("/panel/domains/example.test/aliases/", {"alias_name": "ví-dụ.vn"})
    assert response.status_code == 302
    assert DomainAlias.objects.get().name == "xn--v-d-rma6749a.vn"
    assert "ví-dụ.vn → example.test" in super_client.get("/panel/domains/example.test/").content.decode()
    super_client.post("/panel/domains/example.test/aliases/ví-dụ.vn/remove/")
    assert not DomainAlias.objects.exists()
    assert [e.action for e in AuditEntry.objects.order_by("pk")] == ["domain_alias.create", "domain_alias.delete"]


def test_a_hosted_domain_cannot_become_an_alias(super_client, domain, other_domain):
    response = super_client.post("/panel/domains/example.test/aliases/", {"alias_name": "example.org"})
    assert "already a hosted domain" in response.context["alias_form"].errors["alias_name"][0]


def test_a_domain_admin_sees_domain_aliases_without_the_forms(owner_client, domain):
    from mailcore.directory.services import create_domain_alias

    create_domain_alias("alias.example", "example.test")
    html = owner_client.get("/panel/domains/example.test/").content.decode()
    assert "alias.example" in html and "/panel/domains/example.test/aliases/" not in html
