from django.shortcuts import render

from webmail.access import account_required


@account_required
def settings_home(request):
    return render(request, "webmail/placeholder.html")
