"""CSV import and export through the panel: thin views over mailcore.directory.csv_io."""
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mailcore.audit.models import AuditEntry
from mailcore.directory import csv_io
from mailcore.directory.models import Account
from tests.conftest import PASSWORD

IMPORT = reverse("panel:account_import")
EXPORT = reverse("panel:account_export")


def upload(client, data: bytes, name="accounts.csv"):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, data, content_type="text/csv")})


def test_the_import_page_documents_the_columns(owner_client):
    content = owner_client.get(IMPORT).content.decode()
    for name in csv_io.IMPORT_COLUMNS:
        assert f"<code>{name}</code>" in content


def test_good_rows_are_imported_and_bad_ones_listed_with_their_line(owner_client, domain, other_domain):
    data = (f"address,password,display_name\nan@example.test,{PASSWORD},Nguyễn Văn An\n"
            f"eve@example.org,{PASSWORD},\nbinh@example.test,short,\n").encode("utf-8-sig")
    response = upload(owner_client, data)
    assert response.status_code == 200
    result = response.context["result"]
    assert [(e.line, e.field) for e in result.errors] == [(3, "address"), (4, "password")]
    assert list(Account.objects.values_list("localpart", flat=True)) == ["an"]
    content = response.content.decode()
    assert "You do not manage the domain example.org" in content
    assert "an@example.test" in content


def test_each_imported_account_is_audited_without_its_password(owner_client, domain):
    upload(owner_client, f"address,password\nan@example.test,{PASSWORD}\n".encode())
    entry = AuditEntry.objects.get(action="account.create")
    assert entry.object_repr == "an@example.test" and entry.after["import"] == "accounts.csv"
    assert PASSWORD not in str(entry.after)


def test_a_file_that_is_not_csv_is_an_error_on_the_file_and_imports_nothing(owner_client, domain):
    response = upload(owner_client, b"\x89PNG\r\n\x1a\n\x00\x00address,password\n", "photo.csv")
    assert response.status_code == 400
    assert "not a CSV" in response.context["form"].errors["file"][0]
    assert not Account.objects.exists()


def test_a_file_over_the_limit_is_refused(owner_client, domain):
    data = b"address,password\n" + b"x" * (csv_io.MAX_IMPORT_BYTES + 10)
    assert "larger" in upload(owner_client, data).context["form"].errors["file"][0]


def test_the_export_streams_a_csv_attachment_without_passwords(owner_client, alice):
    response = owner_client.get(EXPORT)
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.splitlines()[1].startswith("alice@example.test,,")
    assert alice.user.password not in body


def test_an_exported_formula_is_defused(owner_client, alice):
    from mailcore.directory.services import set_display_name

    set_display_name(alice.address, '=HYPERLINK("http://evil.example","click")')
    body = b"".join(owner_client.get(EXPORT).streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in body
