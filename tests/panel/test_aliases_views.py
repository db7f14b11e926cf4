"""Aliases in the panel: several targets, the catch-all, limits, edits, deletes, permissions."""
import pytest
from django.urls import reverse

from mailcore.audit.models import AuditEntry
from mailcore.directory import services
from mailcore.directory.models import Alias

LIST = reverse("panel:alias_list")
CREATE = reverse("panel:alias_create")


def test_an_alias_is_created_with_targets_one_per_line_or_comma_separated(owner_client, alice, bob):
    response = owner_client.post(CREATE, {"localpart": "Sales", "domain": "example.test",
                                          "targets": "alice@example.test\nbob@example.test, out@elsewhere.example"})
    assert response["Location"] == LIST
    alias = Alias.objects.get(localpart="sales")
    assert [t.address for t in alias.targets.all()] == ["alice@example.test", "bob@example.test",
                                                        "out@elsewhere.example"]
    assert AuditEntry.objects.get(action="alias.create").after["targets"][0] == "alice@example.test"


def test_a_catch_all_is_the_box_ticked_with_nothing_before_the_at(owner_client, alice):
    owner_client.post(CREATE, {"catch_all": "on", "domain": "example.test", "targets": "alice@example.test"})
    assert Alias.objects.get(localpart="").domain.name == "example.test"
    assert "catch-all" in owner_client.get(LIST).content.decode()


def test_the_form_names_the_field_at_fault(owner_client, alice):
    response = owner_client.post(CREATE, {"localpart": "no spaces", "domain": "example.test", "targets": ""})
    errors = response.context["form"].errors
    assert response.status_code == 400 and errors["localpart"] and errors["targets"]


def test_an_unknown_local_target_is_an_error_on_the_targets(owner_client, alice):
    response = owner_client.post(CREATE, {"localpart": "sales", "domain": "example.test",
                                          "targets": "nobody@example.test"})
    assert "nobody@example.test" in response.context["form"].errors["targets"][0]


def test_the_domains_alias_limit_is_an_error_on_the_source(owner_client, alice):
    alice.domain.max_aliases = 1
    alice.domain.save()
    owner_client.post(CREATE, {"localpart": "a", "domain": "example.test", "targets": "alice@example.test"})
    response = owner_client.post(CREATE, {"localpart": "b", "domain": "example.test", "targets": "alice@example.test"})
    assert "limit" in response.context["form"].errors["localpart"][0]


def test_an_alias_that_is_already_an_account_is_refused(owner_client, alice):
    response = owner_client.post(CREATE, {"localpart": "alice", "domain": "example.test",
                                          "targets": "x@elsewhere.example"})
    assert response.context["form"].errors["localpart"]


def test_editing_replaces_the_targets_and_audits_before_and_after(owner_client, alice, bob):
    alias = services.create_alias("sales@example.test", ["alice@example.test"])
    owner_client.post(reverse("panel:alias_detail", args=[alias.pk]), {"targets": "bob@example.test"})
    assert [t.address for t in alias.targets.all()] == ["bob@example.test"]
    entry = AuditEntry.objects.get(action="alias.update")
    assert entry.before == {"targets": ["alice@example.test"]} and entry.after == {"targets": ["bob@example.test"]}


def test_a_bad_edit_keeps_the_old_targets(owner_client, alice):
    alias = services.create_alias("sales@example.test", ["alice@example.test"])
    response = owner_client.post(reverse("panel:alias_detail", args=[alias.pk]), {"targets": "sales@example.test"})
    assert response.status_code == 400 and response.context["form"].errors["targets"]
    assert [t.address for t in alias.targets.all()] == ["alice@example.test"]


def test_deleting_an_alias(owner_client, alice):
    alias = services.create_alias("sales@example.test", ["alice@example.test"])
    assert owner_client.post(reverse("panel:alias_delete", args=[alias.pk]))["Location"] == LIST
    assert not Alias.objects.exists()
    assert AuditEntry.objects.get(action="alias.delete").object_repr == "sales@example.test"


def test_the_list_searches_targets_and_filters_by_domain(super_client, alice, charlie):
    services.create_alias("sales@example.test", ["alice@example.test"])
    services.create_alias("info@example.org", ["charlie@example.org"])
    content = super_client.get(LIST, {"q": "charlie"}).content.decode()
    assert "info@example.org" in content and "sales@example.test" not in content
    content = super_client.get(LIST, {"domain": "example.test"}).content.decode()
    assert "sales@example.test" in content and "info@example.org" not in content


def test_the_list_costs_the_same_queries_for_many_aliases(super_client, alice, django_assert_max_num_queries):
    services.create_alias("a0@example.test", ["alice@example.test"])
    super_client.get(LIST)
    with django_assert_max_num_queries(13) as few:  # the page is its ids, then its rows (panel/listing.py)
        super_client.get(LIST)
    for n in range(1, 20):
        services.create_alias(f"a{n}@example.test", ["alice@example.test", f"x{n}@elsewhere.example"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "a19@example.test" in super_client.get(LIST).content.decode()


# --- permissions -------------------------------------------------------------------------

@pytest.mark.parametrize("url", [LIST, CREATE])
def test_a_signed_out_visitor_is_sent_to_sign_in_and_a_mail_user_refused(client, alice, url):
    assert "/accounts/login/" in client.get(url)["Location"]
    client.force_login(alice.user)
    assert client.get(url).status_code == 403


def test_a_domain_admin_cannot_see_edit_or_delete_another_domains_alias(owner_client, charlie):
    alias = services.create_alias("info@example.org", ["charlie@example.org"])
    assert owner_client.get(reverse("panel:alias_detail", args=[alias.pk])).status_code == 404
    assert owner_client.post(reverse("panel:alias_detail", args=[alias.pk]),
                             {"targets": "x@elsewhere.example"}).status_code == 404
    assert owner_client.post(reverse("panel:alias_delete", args=[alias.pk])).status_code == 404
    assert "info@example.org" not in owner_client.get(LIST).content.decode()
    assert [t.address for t in alias.targets.all()] == ["charlie@example.org"]


def test_a_domain_admin_cannot_create_an_alias_at_another_domain(owner_client, charlie):
    response = owner_client.post(CREATE, {"catch_all": "on", "domain": "example.org", "targets": "x@elsewhere.example"})
    assert response.context["form"].errors["domain"]  # not one of the choices
    response = owner_client.post(CREATE, {"localpart": "info@example.org", "domain": "example.test",
                                          "targets": "x@elsewhere.example"})
    assert "You do not manage" in response.context["form"].errors["localpart"][0]
    assert not Alias.objects.exists()


def test_aliases_import_and_export_through_the_panel(owner_client, alice, charlie):
    from django.core.files.uploadedfile import SimpleUploadedFile

    services.create_alias("info@example.org", ["charlie@example.org"])
    data = b"source,targets\nsales@example.test,alice@example.test\ninfo2@example.org,charlie@example.org\n"
    response = owner_client.post(reverse("panel:alias_import"), {"file": SimpleUploadedFile("a.csv", data)})
    assert [(e.line, e.field) for e in response.context["result"].errors] == [(3, "source")]
    assert AuditEntry.objects.get(action="alias.create").object_repr == "sales@example.test"
    body = b"".join(owner_client.get(reverse("panel:alias_export")).streaming_content).decode("utf-8-sig")
    assert "sales@example.test,alice@example.test" in body and "example.org" not in body


def test_a_domain_admin_cannot_export_another_domains_aliases(owner_client, charlie):
    assert owner_client.get(reverse("panel:alias_export"), {"domain": "example.org"}).status_code == 404


def test_the_catch_all_can_be_edited_and_shows_on_its_accounts_page(owner_client, alice, bob):
    alias = services.create_alias("@example.test", ["alice@example.test"])
    owner_client.post(reverse("panel:alias_detail", args=[alias.pk]), {"targets": "bob@example.test"})
    assert [t.address for t in alias.targets.all()] == ["bob@example.test"]
    content = owner_client.get(reverse("panel:account_detail", args=[bob.pk])).content.decode()
    assert "@example.test (catch-all)" in content
