"""Adding a domain: IDN names stored as A-labels, limits in human units, a DKIM key, audited."""
from mailcore.audit.models import AuditEntry
from mailcore.directory.models import Domain
from mailcore.dkim.models import DkimKey

LIMITS = {"max_accounts": "10", "max_aliases": "0", "total_quota": "20 GB", "default_quota": "2G"}


def test_an_idn_domain_is_stored_as_its_a_label_and_shown_as_its_u_label(
        super_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = super_client.post("/panel/domains/add/", {"name": "Ví-Dụ.VN", **LIMITS})
    domain = Domain.objects.get()
    assert domain.name == "xn--v-d-rma6749a.vn"
    assert response["Location"] == "/panel/domains/v%C3%AD-d%E1%BB%A5.vn/"
    assert "ví-dụ.vn" in super_client.get(response["Location"]).content.decode()


def test_limits_are_read_in_human_units(super_client):
    super_client.post("/panel/domains/add/", {"name": "new.example", **LIMITS})
    domain = Domain.objects.get()
    assert (domain.max_accounts, domain.total_quota, domain.default_quota) == (10, 20 * 1024**3, 2 * 1024**3)


def test_the_new_domain_gets_a_dkim_key(super_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        super_client.post("/panel/domains/add/", {"name": "new.example", **LIMITS})
    assert DkimKey.objects.filter(domain__name="new.example", active=True).count() == 1


def test_adding_is_audited(super_client):
    super_client.post("/panel/domains/add/", {"name": "new.example", **LIMITS})
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.domain, entry.actor_name) == ("domain.create", "new.example", "root")
    assert entry.after["total_quota"] == 20 * 1024**3


def test_a_bad_name_is_reported_on_the_name_field(super_client):
    response = super_client.post("/panel/domains/add/", {"name": "not a domain", **LIMITS})
    assert response.status_code == 200 and response.context["form"].errors["name"]
    assert not Domain.objects.exists()


def test_an_existing_domain_is_reported_on_the_name_field(super_client, domain):
    response = super_client.post("/panel/domains/add/", {"name": "EXAMPLE.test", **LIMITS})
    assert "already exists" in response.context["form"].errors["name"][0]


def test_a_bad_size_is_reported_on_its_field(super_client):
    response = super_client.post("/panel/domains/add/", {"name": "new.example", **LIMITS, "total_quota": "lots"})
    assert list(response.context["form"].errors) == ["total_quota"]
    assert "500 MB" in response.context["form"].errors["total_quota"][0]


def test_a_default_quota_above_the_total_is_reported_on_the_default_quota(super_client):
    response = super_client.post("/panel/domains/add/", {"name": "new.example", **LIMITS,
                                                         "total_quota": "1G", "default_quota": "2G"})
    assert list(response.context["form"].errors) == ["default_quota"]
    assert not Domain.objects.exists()
