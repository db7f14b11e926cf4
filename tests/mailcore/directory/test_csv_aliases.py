"""CSV import and export of aliases: several targets per row, the catch-all, rows reported by line."""
import csv
import io

from mailcore.directory import csv_io, services
from mailcore.directory.models import Alias


def load(text, managed=frozenset({"example.test"})):
    return csv_io.import_aliases(csv_io.read_rows(text.encode(), csv_io.ALIASES), set(managed))


def test_aliases_with_several_targets_and_a_catch_all_are_created(alice, bob):
    result = load("source,targets\nsales@example.test,alice@example.test bob@example.test\n"
                  "@example.test,alice@example.test\n")
    assert result.errors == []
    assert [t.address for t in Alias.objects.get(localpart="sales").targets.all()] == [
        "alice@example.test", "bob@example.test"]
    assert Alias.objects.filter(localpart="").exists()


def test_bad_rows_are_reported_by_line_and_the_rest_imported(alice, other_domain):
    result = load("source,targets\ninfo@example.org,alice@example.test\nsales@example.test,nobody@example.test\n"
                  "ok@example.test,alice@example.test\nloop@example.test,loop@example.test\n")
    assert [(e.line, e.field) for e in result.errors] == [(2, "source"), (3, "targets"), (5, "targets")]
    assert list(Alias.objects.values_list("localpart", flat=True)) == ["ok"]


def test_an_account_csv_is_refused_as_an_alias_file(alice):
    import pytest

    with pytest.raises(csv_io.CsvFileError, match="Unknown column"):
        csv_io.read_rows(b"address,password\nx@example.test,y\n", csv_io.ALIASES)


def test_an_alias_export_imports_back_the_same(alice, bob):
    services.create_alias("sales@example.test", ["alice@example.test", "bob@example.test"])
    services.create_alias("@example.test", ["alice@example.test"])
    aliases = Alias.objects.prefetch_related("targets").select_related("domain").order_by("localpart")
    text = "".join(csv_io.export_alias_lines(aliases))
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    # A leading @ is a formula to a spreadsheet: the catch-all is written escaped, read back plain.
    assert rows == [["source", "targets"], ["'@example.test", "alice@example.test"],
                    ["sales@example.test", "alice@example.test bob@example.test"]]
    before = sorted((a.localpart, tuple(t.address for t in a.targets.all())) for a in aliases)
    Alias.objects.all().delete()
    assert load(text).errors == []
    after = sorted((a.localpart, tuple(t.address for t in a.targets.all())) for a in Alias.objects.all())
    assert after == before
