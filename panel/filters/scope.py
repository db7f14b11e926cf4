"""What held mail an admin may see: a superadmin all of it, a domain admin the mail addressed
to their domains, and of each message only their domains' recipients."""
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404

from mailcore.filters.models import QuarantinedMessage, QuarantineRecipient
from panel.access import managed_domains


def domain_names(request) -> list[str] | None:
    """The A-labels this admin acts for; None for a superadmin (every domain, and recipients
    outside any hosted domain)."""
    if request.is_superadmin:
        return None
    return list(managed_domains(request.user).values_list("name", flat=True))


def _rows(request):
    names = domain_names(request)
    rows = QuarantineRecipient.objects.order_by("address", "pk")
    return rows if names is None else rows.filter(domain__in=names)


def quarantine_for(request, params: dict):
    """The quarantined messages visible to this admin, filtered by kind, status and domain."""
    rows = _rows(request)
    if params.get("domain"):
        rows = rows.filter(domain=params["domain"])
    messages = QuarantinedMessage.objects.filter(Exists(rows.filter(message=OuterRef("pk"))))
    status = params.get("status") or QuarantinedMessage.Status.HELD
    if status != "all":
        messages = messages.filter(status=status)
    if params.get("kind"):
        messages = messages.filter(kind=params["kind"])
    # distinct: the list's search looks at recipient addresses, a join.
    return messages.distinct().prefetch_related(Prefetch("recipients", queryset=_rows(request), to_attr="visible"))


def message_or_404(request, pk: int) -> QuarantinedMessage:
    message = quarantine_for(request, {"status": "all"}).select_related("blob").filter(pk=pk).first()
    if message is None:
        raise Http404
    return message


def recipients_in_scope(request, message) -> list[QuarantineRecipient]:
    return list(_rows(request).filter(message=message).select_related("account__domain"))


def audit_targets(request, message) -> dict[str, list[str]]:
    """The held recipients this admin acts on, by domain: one audit entry per domain
    (the panel's quarantine pages and the API alike)."""
    targets: dict[str, list[str]] = {}
    for row in recipients_in_scope(request, message):
        targets.setdefault(row.domain, [])
        if row.address not in targets[row.domain]:
            targets[row.domain].append(row.address)
    return targets


def describe_held(message) -> str:
    return f"{message.subject or '-'} <{message.mail_from or '-'}>"
