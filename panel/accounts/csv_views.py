"""Bulk CSV import and export of accounts and aliases; the parsing and rules are in
mailcore.directory.csv_io, so these views only read the upload, audit and render."""
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from mailcore.directory import csv_io
from mailcore.directory.models import Account, Alias

from ..access import admin_required, audit, domain_or_404, managed_domains
from .forms import ImportForm
from .views import snapshot

ACCOUNT_EXAMPLE = ("address,password,display_name,quota,active\n"
                   "an@example.com,a-long-first-password,Nguyễn Văn An,2 GB,yes")
ALIAS_EXAMPLE = "source,targets\nsales@example.com,an@example.com binh@example.com\n@example.com,an@example.com"


def _import(request, fmt, import_rows, audit_one, context):
    """Read the upload, import its rows, audit each created object; render the result."""
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        # Read one byte past the limit so an oversized file is refused, not truncated.
        data = upload.read(csv_io.MAX_IMPORT_BYTES + 1)
        try:
            rows = csv_io.read_rows(data, fmt)
        except csv_io.CsvFileError as exc:
            form.add_error("file", str(exc))
        else:
            result = import_rows(rows, set(managed_domains(request.user).values_list("name", flat=True)))
            for created in result.created:
                audit_one(created, upload.name[:100])
    return render(request, "panel/accounts/csv_import.html", {
        "form": form, "result": result, "max_rows": csv_io.MAX_IMPORT_ROWS, **context,
    }, status=400 if form.errors else 200)


@admin_required
def account_import(request):
    def audit_one(account, filename):
        audit(request, "account.create", account, domain=account.domain.name,
              after={**snapshot(account), "import": filename})

    return _import(request, csv_io.ACCOUNTS, csv_io.import_accounts, audit_one, {
        "title": _("Import accounts from CSV"), "columns": csv_io.COLUMN_HELP, "example": ACCOUNT_EXAMPLE,
        "informational": ", ".join(csv_io.ACCOUNTS.informational), "detail_url": "panel:account_detail",
    })


@admin_required
def alias_import(request):
    def audit_one(alias, filename):
        audit(request, "alias.create", alias, domain=alias.domain.name,
              after={"targets": [t.address for t in alias.targets.all()], "import": filename})

    return _import(request, csv_io.ALIASES, csv_io.import_aliases, audit_one, {
        "title": _("Import aliases from CSV"), "columns": csv_io.ALIAS_COLUMN_HELP, "example": ALIAS_EXAMPLE,
        "detail_url": "panel:alias_detail",
    })


def _csv_response(lines, name):
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.now():%Y%m%d}.csv"'
    return response


def _in_scope(request, queryset, name):
    """The managed domains' objects, or one domain's with ?domain=; and a file name."""
    queryset = queryset.filter(domain__in=managed_domains(request.user))
    if request.GET.get("domain"):
        domain = domain_or_404(request, request.GET["domain"])
        return queryset.filter(domain=domain), f"{name}-{domain.name}"
    return queryset, name


@admin_required
def account_export(request):
    accounts, name = _in_scope(request, Account.objects.all(), "accounts")
    accounts = accounts.select_related("domain", "user").order_by("domain__name", "localpart")
    # iterator() streams in chunks: a big directory is never loaded at once.
    return _csv_response(csv_io.export_lines(accounts.iterator(chunk_size=500)), name)


@admin_required
def alias_export(request):
    aliases, name = _in_scope(request, Alias.objects.all(), "aliases")
    aliases = aliases.select_related("domain").prefetch_related("targets").order_by("domain__name", "localpart")
    return _csv_response(csv_io.export_alias_lines(aliases.iterator(chunk_size=500)), name)
