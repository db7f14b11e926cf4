"""A domain's page: figures, links, limits (superadmin), policy, enable and disable."""
from mailcore.audit.models import AuditEntry
from mailcore.directory.models import Account, Domain


def test_the_page_links_to_the_dns_records_and_the_domain_s_accounts(owner_client, domain):
    html = owner_client.get("/panel/domains/example.test/").content.decode()
    assert 'href="/panel/dns/example.test/"' in html
    assert 'href="/panel/accounts/?domain=example.test"' in html


def test_an_idn_domain_is_reached_by_either_label(super_client, db):
    from mailcore.directory.services import create_domain

    create_domain("ví-dụ.vn")
    for name in ("ví-dụ.vn", "xn--v-d-rma6749a.vn"):
        response = super_client.get(f"/panel/domains/{name}/")
        assert response.status_code == 200 and response.context["domain"].name == "xn--v-d-rma6749a.vn"
    assert "?domain=xn--v-d-rma6749a.vn" in response.content.decode()


def test_a_domain_admin_sees_the_limits_but_no_form_to_change_them(owner_client, domain):
    html = owner_client.get("/panel/domains/example.test/").content.decode()
    assert "Usage and limits" in html and "/limits/" not in html and "/delete/" not in html


def test_a_superadmin_changes_the_limits_in_human_units(super_client, domain):
    response = super_client.post("/panel/domains/example.test/limits/", {
        "max_accounts": "5", "max_aliases": "7", "total_quota": "10 GB", "default_quota": "500M"})
    assert response.status_code == 302
    domain.refresh_from_db()
    assert (domain.max_accounts, domain.max_aliases, domain.total_quota, domain.default_quota) == (
        5, 7, 10 * 1024**3, 500 * 1024**2)
    entry = AuditEntry.objects.get()
    assert entry.action == "domain.update" and entry.before["max_accounts"] == 0
    assert entry.after == {"max_accounts": 5, "max_aliases": 7, "total_quota": 10 * 1024**3,
                           "default_quota": 500 * 1024**2}


def test_a_limit_below_what_the_domain_has_is_reported_on_its_field(super_client, alice, bob):
    response = super_client.post("/panel/domains/example.test/limits/", {
        "max_accounts": "1", "max_aliases": "0", "total_quota": "0", "default_quota": "0"})
    assert response.status_code == 400
    assert "already has 2 accounts" in response.context["limits_form"].errors["max_accounts"][0]
    assert Domain.objects.get(name="example.test").max_accounts == 0


def test_the_limits_form_shows_sizes_back_in_units(super_client, domain):
    domain.total_quota = 3 * 1024**3
    domain.save()
    assert 'value="3G"' in super_client.get("/panel/domains/example.test/").content.decode()


def test_a_domain_admin_changes_the_dmarc_policy(owner_client, domain):
    assert owner_client.post("/panel/domains/example.test/policy/", {}).status_code == 302
    assert Domain.objects.get(name="example.test").dmarc_reject is False
    assert AuditEntry.objects.get().after == {"dmarc_reject": False}


def test_disabling_and_enabling_are_audited(super_client, alice):
    super_client.post("/panel/domains/example.test/active/", {"active": "0"})
    assert Domain.objects.get(name="example.test").active is False
    assert Account.objects.get(pk=alice.pk).active is True  # accounts keep their own switch
    super_client.post("/panel/domains/example.test/active/", {"active": "1"})
    assert Domain.objects.get(name="example.test").active is True
    assert [e.after for e in AuditEntry.objects.order_by("pk")] == [{"active": False}, {"active": True}]
