"""Bulk CSV import and export of accounts; the parsing and rules are mailcore.directory.csv_io."""
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from mailcore.directory import csv_io
from mailcore.directory.models import Account

from ..access import admin_required, audit, domain_or_404, managed_domains
from .forms import ImportForm
from .views import snapshot


@admin_required
def account_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        # Read one byte past the limit so an oversized file is refused, not truncated.
        data = upload.read(csv_io.MAX_IMPORT_BYTES + 1)
        try:
            rows = csv_io.read_rows(data)
        except csv_io.CsvFileError as exc:
            form.add_error("file", str(exc))
        else:
            managed = set(managed_domains(request.user).values_list("name", flat=True))
            result = csv_io.import_accounts(rows, managed)
            for account in result.created:
                audit(request, "account.create", account, domain=account.domain.name,
                      after={**snapshot(account), "import": upload.name[:100]})
    return render(request, "panel/accounts/account_import.html", {
        "form": form, "result": result, "columns": csv_io.COLUMN_HELP,
        "max_rows": csv_io.MAX_IMPORT_ROWS,
    }, status=400 if form.errors else 200)


@admin_required
def account_export(request):
    accounts = Account.objects.filter(domain__in=managed_domains(request.user))
    name = "accounts"
    if request.GET.get("domain"):
        domain = domain_or_404(request, request.GET["domain"])
        accounts, name = accounts.filter(domain=domain), f"accounts-{domain.name}"
    accounts = accounts.select_related("domain", "user").order_by("domain__name", "localpart")
    response = StreamingHttpResponse(csv_io.export_lines(accounts.iterator(chunk_size=500)),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.now():%Y%m%d}.csv"'
    return response
