"""Client setup: the setup page per account (panel, and /setup/ for the signed-in mail user),
the Apple profile download, and the public autoconfig and autodiscover endpoints.

The facts and the XML come from mailcore.clientsetup; these views only pick the account or
the domain and choose the response. docs/clients.md explains what each client fetches.
"""
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.http.request import split_domain_port
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from mailcore import clientsetup
from mailcore.clientsetup import autodiscover as pox
from mailcore.clientsetup.autoconfig import autoconfig_xml
from mailcore.clientsetup.mobileconfig import CONTENT_TYPE, mobileconfig
from mailcore.directory.models import Account
from panel.access import account_or_404, admin_required

XML = "application/xml; charset=utf-8"


def _setup_context(account: Account, profile_url: str) -> dict:
    by_protocol = {name: clientsetup.servers(name) for name in ("imap", "pop3", "smtp")}
    return {
        "account": account,
        "host": clientsetup.mail_host(),
        **by_protocol,
        "servers_by_protocol": [{"label": name.upper(), "servers": found} for name, found in by_protocol.items()],
        "profile_url": profile_url,
        "autoconfig_url": reverse("client_autoconfig") + "?" + urlencode({"emailaddress": account.address}),
    }


def _profile(account: Account) -> HttpResponse:
    filename = f"{account.domain.name}.mobileconfig"
    return HttpResponse(mobileconfig(account), content_type=CONTENT_TYPE,
                        headers={"Content-Disposition": content_disposition_header(True, filename)})


@admin_required
def account_setup(request, account_pk):
    account = account_or_404(request, account_pk)
    context = _setup_context(account, reverse("panel:client_profile", args=[account.pk]))
    return render(request, "panel/clients/account_setup.html", context)


@admin_required
def account_profile(request, account_pk):
    return _profile(account_or_404(request, account_pk))


def own_account_required(view):
    """The signed-in user's own active mail account, as request.account (else login or 403)."""
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        account = Account.objects.select_related("domain", "user").filter(user=request.user).first()
        if account is None or not (account.active and account.domain.active):
            raise PermissionDenied
        request.account = account  # the webmail layout's sidebar reads it
        return view(request, *args, **kwargs)

    return wrapper


@own_account_required
def my_setup(request):
    context = _setup_context(request.account, reverse("client_profile_self"))
    return render(request, "panel/clients/my_setup.html", context)


@own_account_required
def my_profile(request):
    return _profile(request.account)


@require_safe
def autoconfig(request):
    """Thunderbird: ?emailaddress= if given, else the host it asked (autoconfig.<domain>)."""
    if "emailaddress" in request.GET:
        try:
            found = clientsetup.domain_for_address(request.GET["emailaddress"])
        except ValidationError:
            return HttpResponseBadRequest("emailaddress is not a mail address", content_type="text/plain")
        domain = found[1] if found else None
    else:
        domain = clientsetup.domain_for_host(split_domain_port(request.get_host())[0])
    if domain is None:
        raise Http404
    return HttpResponse(autoconfig_xml(domain), content_type=XML)


def _autodiscover_address(request):
    """The address asked about, or an autodiscover error code."""
    if request.method == "POST":
        try:
            asked = pox.parse_request(request.read(pox.MAX_REQUEST_BYTES + 1))
        except pox.InvalidRequest:
            return None, pox.INVALID_REQUEST
        if asked.schema != pox.OUTLOOK_SCHEMA:
            return None, pox.UNSUPPORTED_SCHEMA
        email = asked.email
    else:
        email = request.GET.get("emailaddress") or request.GET.get("email") or ""
    try:
        found = clientsetup.domain_for_address(email)
    except ValidationError:
        return None, pox.INVALID_REQUEST
    return (found[0], None) if found else (None, pox.NOT_FOUND)


@csrf_exempt  # mail clients POST without a CSRF token; nothing here changes state
@require_http_methods(["GET", "POST"])
def autodiscover(request):
    """Outlook (POX): answered with HTTP 200 either way, as Exchange does; errors in the XML."""
    address, error = _autodiscover_address(request)
    body = pox.error_response(error) if error else pox.settings_response(address)
    return HttpResponse(body, content_type=XML)
