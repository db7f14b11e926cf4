from django.shortcuts import render

from webmail.access import account_required


@account_required
def manage(request):
    return render(request, "webmail/placeholder.html")
