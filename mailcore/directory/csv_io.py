"""Accounts and aliases in and out as CSV: the bulk import and export behind the panel.

The formats are documented in docs/panel-accounts.md.

Import is forgiving per row and strict per file. A file that cannot be read as CSV at
all (not UTF-8, binary, too big, no `address`/`password` header) is refused whole,
before anything is written. Otherwise every row is its own transaction through
services.create_account: a good row creates the account with its folders, a bad row
creates nothing and is reported with its line number, field and reason.

Export never contains passwords. Cells that a spreadsheet would run as a formula are
escaped with a leading apostrophe (OWASP "CSV injection"), and import undoes exactly
that escape, so an export read back gives the same values.
"""
import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mailcore.sizes import format_size, format_size_exact, parse_size

from . import services
from .addresses import domain_to_unicode, parse_address
from .models import Account

MAX_IMPORT_BYTES = 1024 * 1024
# Each row hashes a password (deliberately slow): a bigger batch belongs in several files.
MAX_IMPORT_ROWS = 500
MAX_FIELD_CHARS = 1000



@dataclass(frozen=True)
class Format:
    columns: tuple  # read by the import
    required: tuple
    informational: tuple = ()  # written by the export for the admin's information; ignored on import

    @property
    def export_columns(self):
        return (*self.columns, *self.informational)


ACCOUNTS = Format(columns=("address", "password", "display_name", "quota", "active"),
                  required=("address", "password"), informational=("used", "last_login"))
ALIASES = Format(columns=("source", "targets"), required=("source", "targets"))
IMPORT_COLUMNS = ACCOUNTS.columns
EXPORT_COLUMNS = ACCOUNTS.export_columns

_TRUE = {"1", "yes", "y", "true", "on", "có", "co"}
_FALSE = {"0", "no", "n", "false", "off", "không", "khong"}
# A spreadsheet treats a cell starting with one of these as a formula; tab and CR too.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class CsvFileError(Exception):
    """The file as a whole cannot be imported; nothing was written."""


@dataclass
class RowError:
    line: int
    field: str
    message: str


@dataclass
class ImportResult:
    created: list = field(default_factory=list)  # Account objects
    errors: list = field(default_factory=list)  # RowError, in file order

    @property
    def failed_lines(self) -> int:
        return len({error.line for error in self.errors})


@dataclass
class Row:
    line: int  # the file line the record starts on, counting the header as 1
    values: dict


def escape_cell(value: str) -> str:
    """Defuse a cell a spreadsheet would evaluate; unescape_cell reverses it exactly."""
    if value and (value.startswith(_FORMULA_START) or (value[0] == "'" and value[1:2] and
                                                       value[1] in (*_FORMULA_START, "'"))):
        return "'" + value
    return value


def unescape_cell(value: str) -> str:
    if value[:1] == "'" and value[1:2] and value[1] in (*_FORMULA_START, "'"):
        return value[1:]
    return value


def read_rows(data: bytes, fmt: Format = ACCOUNTS) -> list[Row]:
    """Parse an uploaded file into rows keyed by column name, or raise CsvFileError."""
    if len(data) > MAX_IMPORT_BYTES:
        raise CsvFileError(_("The file is larger than %(size)s.") % {"size": format_size(MAX_IMPORT_BYTES)})
    if b"\x00" in data:
        raise CsvFileError(_("This is not a CSV text file."))
    try:
        text = data.decode("utf-8-sig")  # Excel writes a byte order mark
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise CsvFileError(_("The file is not UTF-8 text (line %(line)d). Save it as “CSV UTF-8”.")
                           % {"line": line}) from None
    if not text.strip():
        raise CsvFileError(_("The file is empty."))
    first_line = text.lstrip().split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = _read_header(next(reader), fmt)
        rows = []
        start = reader.line_num + 1
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append(_row(start, header, cells, fmt))
                if len(rows) > MAX_IMPORT_ROWS:
                    raise CsvFileError(_("The file has more than %(count)d rows; split it into several files.")
                                       % {"count": MAX_IMPORT_ROWS})
            start = reader.line_num + 1
    except csv.Error as exc:
        raise CsvFileError(_("The file is not valid CSV (line %(line)d: %(reason)s).")
                           % {"line": reader.line_num, "reason": exc}) from None
    if not rows:
        raise CsvFileError(_("The file has a header but no rows."))
    return rows


def _read_header(cells: list[str], fmt: Format) -> list[str]:
    header = [cell.strip().lower() for cell in cells]
    unknown = [name for name in header if name not in fmt.export_columns]
    if unknown:
        raise CsvFileError(_("Unknown column %(name)s on line 1; the columns are: %(columns)s.")
                           % {"name": repr(unknown[0][:40]), "columns": ", ".join(fmt.columns)})
    missing = [name for name in fmt.required if name not in header]
    if missing:
        raise CsvFileError(_("Line 1 must be a header naming the columns; %(name)s is missing.")
                           % {"name": missing[0]})
    if len(set(header)) != len(header):
        raise CsvFileError(_("A column is named twice on line 1."))
    return header


def _row(line: int, header: list[str], cells: list[str], fmt: Format) -> Row:
    values = {}
    for name, cell in zip(header, cells, strict=False):
        if name in fmt.columns:
            values[name] = unescape_cell(cell.strip())[:MAX_FIELD_CHARS]
    if len(cells) > len(header):
        values["_extra"] = True
    return Row(line, values)


def _parse_active(text: str) -> bool:
    value = text.strip().lower()
    if value == "" or value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValidationError({"active": _("Write yes or no, not %(value)s.") % {"value": repr(text[:40])}})


def _parse_quota(text: str) -> int | None:
    if not text.strip():
        return None  # the domain's default quota
    try:
        return parse_size(text)
    except ValueError:
        raise ValidationError({"quota": _("%(value)s is not a size; write e.g. 2 GB, 500 MB or 0 for unlimited.")
                               % {"value": repr(text[:40])}}) from None


def import_accounts(rows: Iterable[Row], managed_domains: set[str]) -> ImportResult:
    """Create one account per row, each in its own transaction; report every bad row.

    managed_domains holds the A-labels the importing admin may add accounts to; a row
    for any other domain is refused, as the panel's form would refuse it.
    """
    return _import_each(rows, lambda row: _import_row(row, managed_domains), "address")


def _import_each(rows, import_row, key_field) -> ImportResult:
    result = ImportResult()
    for row in rows:
        try:
            result.created.append(import_row(row))
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    result.errors.append(RowError(row.line, name, message))
        except IntegrityError:
            # Another admin created the same address between our check and our insert:
            # the row's transaction rolled back whole, so report it like any bad row.
            result.errors.append(RowError(row.line, key_field,
                                          _("This row conflicts with a change made at the same time; "
                                            "import it again.")))
    return result


def _import_row(row: Row, managed_domains: set[str]) -> Account:
    values = row.values
    if values.get("_extra"):
        raise ValidationError({"address": _("The row has more cells than the header has columns.")})
    address = parse_address(values.get("address", ""))
    if address.domain not in managed_domains:
        raise ValidationError({"address": _("You do not manage the domain %(domain)s.")
                               % {"domain": domain_to_unicode(address.domain)}})
    quota = _parse_quota(values.get("quota", ""))
    active = _parse_active(values.get("active", ""))
    # create_account writes the login, the account and its folders in one transaction;
    # the savepoint here keeps that true even when the caller holds a transaction open.
    with transaction.atomic():
        return services.create_account(str(address), values.get("password", ""), quota=quota,
                                       display_name=values.get("display_name", ""), active=active)


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value):
        return value


def export_lines(accounts: Iterable[Account]) -> Iterator[str]:
    """CSV text lines (header first, UTF-8 BOM for spreadsheets) for these accounts.

    Pass a queryset with select_related("domain", "user") and .iterator() so a big
    directory streams in chunks instead of loading at once.
    """
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(ACCOUNTS.export_columns)
    for account in accounts:
        last_login = account.user.last_login
        cells = (account.address, "", account.display_name, format_size_exact(account.quota),
                 "yes" if account.active else "no", format_size_exact(account.used_bytes),
                 last_login.isoformat(timespec="seconds") if last_login else "")
        yield writer.writerow([escape_cell(cell) for cell in cells])


def import_aliases(rows: Iterable[Row], managed_domains: set[str]) -> ImportResult:
    """Create one alias per row (targets separated by spaces, commas or semicolons)."""
    return _import_each(rows, lambda row: _import_alias_row(row, managed_domains), "source")


def _import_alias_row(row: Row, managed_domains: set[str]):
    if row.values.get("_extra"):
        raise ValidationError({"source": _("The row has more cells than the header has columns.")})
    source = parse_address(row.values.get("source", ""), "source", allow_catchall=True)
    if source.domain not in managed_domains:
        raise ValidationError({"source": _("You do not manage the domain %(domain)s.")
                               % {"domain": domain_to_unicode(source.domain)}})
    targets = [t for t in re.split(r"[\s,;]+", row.values.get("targets", "")) if t]
    with transaction.atomic():
        return services.create_alias(str(source), targets)


def export_alias_lines(aliases) -> Iterator[str]:
    """CSV lines for aliases (prefetch their targets); targets joined by spaces."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(ALIASES.export_columns)
    for alias in aliases:
        cells = (alias.address, " ".join(target.address for target in alias.targets.all()))
        yield writer.writerow([escape_cell(cell) for cell in cells])


# For templates documenting the format (kept next to the columns they describe).
COLUMN_HELP = (
    ("address", gettext_lazy("Required. The new address, at a domain you manage.")),
    ("password", gettext_lazy("Required. The account's first password.")),
    ("display_name", gettext_lazy("Optional. The name shown with the address.")),
    ("quota", gettext_lazy("Optional. Such as 2 GB or 500 MB; 0 is unlimited; empty takes the domain's default.")),
    ("active", gettext_lazy("Optional. yes or no; empty means yes.")),
)
ALIAS_COLUMN_HELP = (
    ("source", gettext_lazy("Required. The alias address, or @domain for the catch-all.")),
    ("targets", gettext_lazy("Required. Where its mail goes: addresses separated by spaces.")),
)
