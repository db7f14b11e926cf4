"""The per-domain filter policy form: saved, audited, and bad values named by field."""
import pytest

from mailcore.audit.models import AuditEntry
from mailcore.filters.models import DEFAULT_BLOCKED_EXTENSIONS, FilterPolicy

URL = "/panel/filters/domain/example.test/"
VALID = {"engine": "builtin", "header_score": "4", "junk_score": "6", "reject_score": "12", "virus_action": "reject",
         "scanner_down": "tempfail", "blocked_extensions": "exe, .SCR js", "blocked_types": "application/x-msdownload",
         "attachment_action": "quarantine", "quarantine_days": "14"}


def test_the_form_shows_the_defaults_for_a_domain_without_a_policy(owner_client):
    page = owner_client.get(URL).content.decode()
    assert DEFAULT_BLOCKED_EXTENSIONS.split()[0] in page and 'value="30"' in page


def test_a_domain_admin_saves_their_domains_policy(owner_client, domain):
    response = owner_client.post(URL, {**VALID, "greylisting": "on"})
    assert response.status_code == 302
    policy = FilterPolicy.objects.get(domain=domain)
    assert (policy.junk_score, policy.greylisting, policy.quarantine_days) == (6, True, 14)
    assert policy.blocked_extensions == "exe scr js" and policy.attachment_action == "quarantine"


def test_the_change_is_audited_with_only_what_changed(owner_client, domain):
    owner_client.post(URL, VALID)
    entry = AuditEntry.objects.get(action="filterpolicy.update")
    assert entry.domain == "example.test" and entry.actor_name == "owner"
    assert entry.after["quarantine_days"] == 14 and "engine" not in entry.after
    assert entry.before["quarantine_days"] == 30


def _errors(client, **changes):
    response = client.post(URL, {**VALID, **changes})
    assert response.status_code == 200 and not FilterPolicy.objects.exists()
    return response.context["form"].errors


def test_junk_above_reject_is_refused_on_the_junk_field(owner_client):
    assert "junk_score" in _errors(owner_client, junk_score="20", reject_score="15")


def test_a_reject_score_of_zero_never_rejects_so_any_junk_score_goes(owner_client, domain):
    owner_client.post(URL, {**VALID, "junk_score": "50", "header_score": "5", "reject_score": "0"})
    assert FilterPolicy.objects.get(domain=domain).reject_score == 0


def test_headers_above_junk_are_refused_on_the_header_field(owner_client):
    assert "header_score" in _errors(owner_client, header_score="7", junk_score="6")


@pytest.mark.parametrize(("field", "value"), [
    ("header_score", "-1"), ("quarantine_days", "0"), ("quarantine_days", "366"), ("junk_score", "many"),
    ("blocked_extensions", "exe *.com"), ("blocked_types", "application/*"), ("blocked_types", "exe"),
    ("engine", "spamassassin"),
])
def test_bad_values_are_named_by_field(owner_client, field, value):
    assert field in _errors(owner_client, **{field: value})


def test_the_error_names_the_bad_word(owner_client):
    errors = _errors(owner_client, blocked_extensions="exe b@t")
    assert "b@t" in errors["blocked_extensions"][0]


def test_the_list_shows_each_managed_domain_once(owner_client, super_client, domain, other_domain):
    FilterPolicy.objects.create(domain=domain, reject_score=0)
    page = owner_client.get("/panel/filters/").content.decode()
    assert "example.test" in page and "example.org" not in page
    page = super_client.get("/panel/filters/").content.decode()
    assert "example.test" in page and "example.org" in page


def test_the_list_costs_the_same_queries_for_many_domains(super_client, domain):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mailcore.directory.services import create_domain

    super_client.get("/panel/filters/")
    with CaptureQueriesContext(connection) as one:
        super_client.get("/panel/filters/")
    for n in range(12):
        other = create_domain(f"d{n}.example")
        if n % 2:
            FilterPolicy.objects.create(domain=other)
    with CaptureQueriesContext(connection) as many:
        assert super_client.get("/panel/filters/").status_code == 200
    assert len(many) == len(one)
