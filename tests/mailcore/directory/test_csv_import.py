"""CSV import of accounts: bad rows reported by line, good rows created whole, bad files refused."""
import pytest

from mailcore.directory import csv_io
from mailcore.directory.models import Account, User
from mailcore.store.models import Folder
from tests.conftest import PASSWORD

MANAGED = {"example.test"}


def load(text: str, managed=MANAGED, encoding="utf-8"):
    return csv_io.import_accounts(csv_io.read_rows(text.encode(encoding)), managed)


def test_good_rows_are_created_with_their_folders(domain):
    result = load(f"address,password,display_name,quota,active\n"
                  f"an@example.test,{PASSWORD},Nguyễn Văn An,2 GB,yes\n"
                  f"binh@example.test,{PASSWORD},,,no\n")
    assert result.errors == []
    an = Account.objects.get(localpart="an")
    assert (an.display_name, an.quota, an.active) == ("Nguyễn Văn An", 2 * 1024**3, True)
    assert Account.objects.get(localpart="binh").active is False
    assert Folder.objects.filter(account=an, name="INBOX").exists()


def test_an_empty_quota_takes_the_domain_default(domain):
    domain.default_quota = 5 * 1024**2
    domain.save()
    load(f"address,password\nan@example.test,{PASSWORD}\n")
    assert Account.objects.get(localpart="an").quota == 5 * 1024**2


def test_every_bad_row_is_reported_with_its_line_field_and_reason_and_good_rows_still_import(domain):
    result = load("address,password,quota,active\n"
                  f"an@example.test,{PASSWORD},,\n"
                  "not-an-address,x,,\n"
                  f"binh@example.test,{PASSWORD},lots,\n"
                  f"chi@example.test,{PASSWORD},,maybe\n"
                  "dung@example.test,short,,\n"
                  f"an@example.test,{PASSWORD},,\n"
                  f"em@example.test,{PASSWORD},1G,\n")
    assert [(e.line, e.field) for e in result.errors] == [
        (3, "address"), (4, "quota"), (5, "active"), (6, "password"), (7, "address")]
    assert "already exists" in result.errors[-1].message
    assert sorted(a.localpart for a in result.created) == ["an", "em"]
    assert sorted(Account.objects.values_list("localpart", flat=True)) == ["an", "em"]


def test_a_row_for_a_domain_the_admin_does_not_manage_is_refused(domain, other_domain):
    result = load(f"address,password\ncharlie@example.org,{PASSWORD}\n")
    assert [(e.line, e.field) for e in result.errors] == [(2, "address")]
    assert "example.org" in result.errors[0].message
    assert not Account.objects.exists()


def test_the_domain_account_limit_is_reported_per_row(domain):
    domain.max_accounts = 1
    domain.save()
    result = load(f"address,password\nan@example.test,{PASSWORD}\nbinh@example.test,{PASSWORD}\n")
    assert [(e.line, e.field) for e in result.errors] == [(3, "address")]
    assert "limit" in result.errors[0].message


def test_the_domain_total_quota_is_reported_per_row(domain):
    domain.total_quota = 3 * 1024**3
    domain.save()
    result = load(f"address,password,quota\nan@example.test,{PASSWORD},2G\nbinh@example.test,{PASSWORD},2G\n")
    assert [(e.line, e.field) for e in result.errors] == [(3, "quota")]


def test_a_failing_row_leaves_no_login_behind(domain):
    # The password validator runs after the address checks: nothing of the row may remain.
    load("address,password\nan@example.test,password\n")
    assert not User.objects.filter(username="an@example.test").exists()


def test_line_numbers_count_blank_lines_and_quoted_newlines(domain):
    result = load(f'address,password,display_name\n\n"an@example.test",{PASSWORD},"two\nlines"\nbad,x,\n')
    # The two-line display name is refused (it would break a From: header) on the line it starts.
    assert [(e.line, e.field) for e in result.errors] == [(3, "display_name"), (5, "address")]


def test_utf8_with_a_byte_order_mark_and_semicolons_is_read(domain):
    data = f"address;password;display_name\nan@example.test;{PASSWORD};Trần Thị Bình\n".encode("utf-8-sig")
    result = csv_io.import_accounts(csv_io.read_rows(data), MANAGED)
    assert result.errors == [] and result.created[0].display_name == "Trần Thị Bình"


def test_an_escaped_formula_cell_is_read_back_unescaped(domain):
    load(f"address,password,display_name\nan@example.test,{PASSWORD},'=Sếp\n")
    assert Account.objects.get().display_name == "=Sếp"


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"),
    ("address,password\nan@example.test,Đô\n".encode("cp1258"), "UTF-8"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "not a CSV"),
    (b"email,password\nan@example.test,x\n", "Unknown column"),
    (b"address,display_name\nan@example.test,x\n", "password is missing"),
    (b"address,password\n", "no rows"),
    (b'address,password\n"an@example.test,x\n', "not valid CSV"),
])
def test_a_file_that_cannot_be_read_is_refused_whole(domain, data, reason):
    with pytest.raises(csv_io.CsvFileError, match=reason):
        csv_io.read_rows(data)


def test_a_file_over_the_size_limit_is_refused_before_parsing(domain):
    with pytest.raises(csv_io.CsvFileError, match="larger"):
        csv_io.read_rows(b"address,password\n" + b"a" * csv_io.MAX_IMPORT_BYTES)


def test_a_file_with_too_many_rows_is_refused(domain):
    lines = "".join(f"u{n}@example.test,x\n" for n in range(csv_io.MAX_IMPORT_ROWS + 1))
    with pytest.raises(csv_io.CsvFileError, match="more than"):
        csv_io.read_rows(("address,password\n" + lines).encode())


def test_a_row_with_more_cells_than_columns_is_refused(domain):
    result = load(f"address,password\nan@example.test,{PASSWORD},surplus\n")
    assert [(e.line, e.field) for e in result.errors] == [(2, "address")]


def test_a_row_failing_after_its_login_and_first_folder_are_written_leaves_nothing(domain, monkeypatch):
    # Fault injection: the database refuses the row half-way through (as a concurrent
    # insert of the same address would); its login, account and folders must all go.
    from django.db import IntegrityError

    from mailcore.store import folders

    real = folders.create_default_folders

    def fail_for_binh(account):
        real(account)
        if account.localpart == "binh":
            raise IntegrityError("injected")

    monkeypatch.setattr(folders, "create_default_folders", fail_for_binh)
    result = load(f"address,password\nan@example.test,{PASSWORD}\nbinh@example.test,{PASSWORD}\n"
                  f"chi@example.test,{PASSWORD}\n")
    assert [(e.line, e.field) for e in result.errors] == [(3, "address")]
    assert sorted(Account.objects.values_list("localpart", flat=True)) == ["an", "chi"]
    assert not User.objects.filter(username="binh@example.test").exists()
    assert not Folder.objects.filter(account__localpart="binh").exists()
