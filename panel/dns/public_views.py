"""The MTA-STS policy file, served to any sender at https://mta-sts.<domain>/.well-known/mta-sts.txt."""
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_safe

from mailcore.directory.addresses import normalize_domain
from mailcore.directory.lookup import hosted_domain
from mailcore.dnsguide.mtasts import policy_text
from mailcore.dnsguide.records import mail_host

PREFIX = "mta-sts."


@require_safe
def mta_sts_policy(request):
    """RFC 8461 §3.3: the policy of the domain named by the Host, as text/plain; 404 for any other host."""
    host = request.get_host().rsplit(":", 1)[0].lower().rstrip(".")
    if not host.startswith(PREFIX):
        raise Http404
    try:
        domain = hosted_domain(normalize_domain(host[len(PREFIX):]), active_only=True)
    except ValidationError:
        raise Http404 from None
    if domain is None:
        raise Http404
    return HttpResponse(policy_text(mail_host()), content_type="text/plain; charset=utf-8")
