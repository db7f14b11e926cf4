"""Answer the mail-service host names of every hosted domain without listing them in ALLOWED_HOSTS.

Mail clients and sending servers fetch fixed URLs from fixed names: Thunderbird
autoconfig.<domain>, Outlook autodiscover.<domain>, and senders the MTA-STS policy at
mta-sts.<domain> (RFC 8461 §3.3). Domains come and go in the database, so a static
ALLOWED_HOSTS cannot name them. This middleware accepts such a Host only for those
paths and only for an active hosted domain (or one of its domain aliases); every other request keeps Django's host
validation, so password-reset links can never be built from a forged Host.
"""
from django.http.request import split_domain_port

from mailcore.directory.lookup import hosted_domain

SERVICE_PATHS = {
    "autoconfig.": {"/mail/config-v1.1.xml", "/.well-known/autoconfig/mail/config-v1.1.xml"},
    "autodiscover.": {"/autodiscover/autodiscover.xml", "/Autodiscover/Autodiscover.xml"},
    "mta-sts.": {"/.well-known/mta-sts.txt"},
}


def service_host(request) -> str | None:
    """The Host of this request when it is <service>.<hosted domain> asking that service's path."""
    name, _port = split_domain_port(request.META.get("HTTP_HOST", ""))
    for prefix, paths in SERVICE_PATHS.items():
        # hosted_domain follows domain aliases: their service names are answered too.
        if (name.startswith(prefix) and request.path in paths
                and hosted_domain(name.removeprefix(prefix), active_only=True) is not None):
            return name
    return None


class ServiceHostMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = service_host(request)
        if name is not None:
            # Shadow get_host on this request only: Django's check would refuse the name.
            request.get_host = lambda: name
        return self.get_response(request)
