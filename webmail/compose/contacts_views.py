"""Address autocomplete for To, Cc and Bcc: the account's own correspondents as JSON."""
from django.http import JsonResponse

from mailcore.contacts.services import suggest
from webmail.access import account_required


@account_required
def contacts(request):
    matches = suggest(request.account.pk, request.GET.get("q", "")[:100])
    return JsonResponse({"results": matches})
