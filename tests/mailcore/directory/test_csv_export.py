"""CSV export of accounts: no passwords, formulas defused, and it reads back the same."""
import csv
import io

import pytest

from mailcore.directory import csv_io, services
from mailcore.directory.models import Account
from tests.conftest import PASSWORD


def export(accounts) -> list[list[str]]:
    text = "".join(csv_io.export_lines(accounts))
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_export_has_a_header_and_no_passwords(alice):
    rows = export(Account.objects.select_related("domain", "user"))
    assert rows[0] == list(csv_io.EXPORT_COLUMNS)
    assert rows[1][0] == "alice@example.test" and rows[1][1] == ""
    assert PASSWORD not in "".join(rows[1])


@pytest.mark.parametrize("name", ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "'=already"])
def test_cells_a_spreadsheet_would_run_are_prefixed_with_an_apostrophe(alice, name):
    services.set_display_name(alice.address, name)
    alice.refresh_from_db()
    cell = export([alice])[1][2]
    assert cell == "'" + name and csv_io.unescape_cell(cell) == name


def test_escaping_round_trips_every_awkward_start():
    for value in ["=x", "'=x", "''=x", "'x", "'", "x", "", "-", "'-", "@"]:
        assert csv_io.unescape_cell(csv_io.escape_cell(value)) == value
        assert not csv_io.escape_cell(value).startswith(csv_io._FORMULA_START)


def test_an_export_with_passwords_filled_in_imports_the_same_accounts(domain):
    services.create_account("an@example.test", PASSWORD, quota=2 * 1024**3, display_name="=Nguyễn Văn An")
    services.create_account("-binh@example.test", PASSWORD, quota=1234567, active=False)
    rows = export(Account.objects.select_related("domain", "user").order_by("localpart"))
    before = list(Account.objects.order_by("localpart").values_list("localpart", "display_name", "quota", "active"))
    for account in Account.objects.all():
        services.remove_account(account.address)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(rows[0])
    for row in rows[1:]:
        writer.writerow([row[0], PASSWORD, *row[2:]])
    result = csv_io.import_accounts(csv_io.read_rows(buffer.getvalue().encode()), {"example.test"})
    assert result.errors == []
    after = list(Account.objects.order_by("localpart").values_list("localpart", "display_name", "quota", "active"))
    assert after == before
