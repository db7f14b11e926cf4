"""Domain admins (superadmin only): create a login or pick an existing one, grant, revoke."""
from django.contrib.auth import get_user_model
from django.test import Client

from mailcore.audit.models import AuditEntry
from mailcore.directory.models import DomainAdmin
from tests.conftest import PASSWORD

User = get_user_model()


def _new(client, **changes):
    data = {"kind": "new", "new-username": "hanh", "new-password": PASSWORD, "new-domain": "example.test"}
    return client.post("/panel/domains/admins/add/", {**data, **changes})


def test_a_new_login_administers_the_granted_domain(super_client, domain, other_domain):
    response = _new(super_client)
    user = User.objects.get(username="hanh")
    assert response["Location"] == f"/panel/domains/admins/{user.pk}/"
    client = Client()
    assert client.login(username="hanh", password=PASSWORD)
    assert client.get("/panel/domains/example.test/").status_code == 200
    assert client.get("/panel/domains/example.org/").status_code == 404
    assert [e.action for e in AuditEntry.objects.order_by("pk")] == ["domain_admin.create", "domain_admin.grant"]
    assert PASSWORD not in str([(e.before, e.after) for e in AuditEntry.objects.all()])


def test_a_weak_password_is_reported_on_the_password_field_and_no_login_is_left(super_client, domain, settings):
    settings.AUTH_PASSWORD_VALIDATORS = [
        {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"}]
    response = _new(super_client, **{"new-password": "short"})
    assert response.status_code == 400 and response.context["new_form"].errors["password"]
    assert not User.objects.filter(username="hanh").exists()


def test_a_username_with_an_at_sign_is_refused_on_the_username_field(super_client, domain):
    response = _new(super_client, **{"new-username": "hanh@example.test"})
    assert "without @" in response.context["new_form"].errors["username"][0]


def test_a_taken_username_is_refused(super_client, domain_admin):
    response = _new(super_client, **{"new-username": "OWNER"})
    assert "already taken" in response.context["new_form"].errors["username"][0]


def test_a_mail_user_can_be_made_a_domain_admin_by_their_address(super_client, alice):
    response = super_client.post("/panel/domains/admins/add/", {
        "kind": "existing", "existing-existing": "Alice@example.test", "existing-domain": "example.test"})
    assert response.status_code == 302
    assert DomainAdmin.objects.filter(user=alice.user, domain__name="example.test").exists()


def test_an_unknown_existing_login_is_reported_on_its_field(super_client, domain):
    response = super_client.post("/panel/domains/admins/add/", {
        "kind": "existing", "existing-existing": "ghost", "existing-domain": "example.test"})
    assert "There is no login ghost" in response.context["existing_form"].errors["existing"][0]


def test_a_superadmin_needs_no_grant(super_client, superadmin, domain):
    response = super_client.post("/panel/domains/admins/add/", {
        "kind": "existing", "existing-existing": "root", "existing-domain": "example.test"})
    assert "superadmin" in response.context["existing_form"].errors["existing"][0]


def test_grant_and_revoke_are_audited(super_client, domain_admin, other_domain):
    url = f"/panel/domains/admins/{domain_admin.pk}/"
    super_client.post(url + "grant/", {"domain": "example.org"})
    assert set(domain_admin.domain_grants.values_list("domain__name", flat=True)) == {"example.test", "example.org"}
    super_client.post(url + "revoke/example.test/")
    assert list(domain_admin.domain_grants.values_list("domain__name", flat=True)) == ["example.org"]
    assert [(e.action, e.domain) for e in AuditEntry.objects.order_by("pk")] == [
        ("domain_admin.grant", "example.org"), ("domain_admin.revoke", "example.test")]


def test_the_grant_form_offers_only_domains_not_granted_yet(super_client, domain_admin):
    response = super_client.get(f"/panel/domains/admins/{domain_admin.pk}/")
    assert [d.name for d in response.context["grant_form"].fields["domain"].queryset] == ["example.org"]


def test_the_list_is_searchable_and_shows_each_admin_s_domains(super_client, domain_admin, alice):
    DomainAdmin.objects.create(user=alice.user, domain=domain_admin.domain_grants.get().domain)
    response = super_client.get("/panel/domains/admins/", {"q": "own"})
    assert [u.username for u in response.context["listing"].objects] == ["owner"]
    assert "example.test" in response.content.decode()
    response = super_client.get("/panel/domains/admins/", {"sort": "-username"})
    assert [u.username for u in response.context["listing"].objects] == ["owner", "alice@example.test"]
