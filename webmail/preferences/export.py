"""Settings → "Export your data": the account's mail, settings, rules and contacts as one
zip, streamed as it is made (mailcore.accountdata, docs/export.md).

The download asks for the password again first, like the other settings that hand
someone at a signed-in browser something to take away (docs/security.md).
"""
from allauth.account.decorators import reauthentication_required
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from mailcore.accountdata.archive import export_filename, export_stream
from webmail.access import account_required


@account_required
def export_page(request):
    return render(request, "webmail/preferences/export.html", {"section": "export"})


@account_required
@reauthentication_required  # on GET too: the download itself is what is guarded
def export_download(request):
    account = request.account
    response = StreamingHttpResponse(export_stream(account), content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(True, export_filename(account))
    response["Cache-Control"] = "no-store"
    return response
