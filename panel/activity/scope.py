"""Which log rows an admin may see: a superadmin all, a domain admin their domains' only.

Mail belongs to a domain admin when a recipient is at one of their domains (or its
domain aliases), or when one of their domains sent it: an account of theirs submitted
it, or an address of theirs forwarded it (QueuedMessage.owner_domain). Never by the
envelope sender: anyone can write any MAIL FROM, and a forward keeps the original sender,
so that would show a domain admin other domains' mail and their users' forwarding
targets (issue 16).
"""
from django.db.models import Q

from mailcore.delivery.models import QueueRecipient
from mailcore.directory.lookup import hosted_domain
from mailcore.directory.models import DomainAlias

from ..access import managed_domains


def managed_names(user) -> list[str] | None:
    """The A-labels of the user's domains and their domain aliases; None for a superadmin."""
    if user.is_superuser:
        return None
    domains = list(managed_domains(user).values_list("name", flat=True))
    aliases = DomainAlias.objects.filter(target__name__in=domains).values_list("name", flat=True)
    return domains + list(aliases)


def with_aliases(name: str) -> list[str]:
    """A domain's A-label and those of its domain aliases."""
    return [name, *DomainAlias.objects.filter(target__name=name).values_list("name", flat=True)]


def mail_of(names: list[str]) -> Q:
    """QueueRecipient rows whose recipient is at one of `names`, or whose message one of
    those domains sent."""
    if not names:
        return Q(pk__in=[])
    return Q(kind=QueueRecipient.Kind.LOCAL, domain__in=names) | Q(message__owner_domain__in=names)


def visible_recipients(request, queryset):
    names = managed_names(request.user)
    return queryset if names is None else queryset.filter(mail_of(names))


def owner_domain(recipient) -> str:
    """The domain a queue row is filed under in the audit log: the recipient's for local
    mail, the sending domain's for outgoing mail; a domain alias files under its target."""
    name = recipient.domain if recipient.kind == "local" else recipient.message.owner_domain
    domain = hosted_domain(name.lower()) if name else None
    return domain.name if domain is not None else name.lower()
