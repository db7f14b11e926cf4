from django.shortcuts import render

from webmail.access import account_required


@account_required
def compose(request):
    return render(request, "webmail/placeholder.html")


@account_required
def scheduled(request):
    return render(request, "webmail/placeholder.html")
