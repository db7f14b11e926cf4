"""Who a token may act for: its owner's role, decided at each request (docs/api.md).

A superadmin's token reaches everything; a domain admin's reaches the domains they hold
grants on, through the panel's own managed_domains(), so a guessed name or id of another
domain answers 404 exactly as the panel does; a mail user's token reaches only that
user's own account (its display name, forwarding and app passwords).
Every change is written to the panel's audit log with the owner as the actor, marked
as made through the API.
"""
from rest_framework.permissions import BasePermission

from mailcore.audit import log as audit_log
from panel.access import client_ip, is_panel_admin


class IsPanelAdmin(BasePermission):
    message = "Only superadmins and domain admins may use this."

    def has_permission(self, request, view):
        return request.user is not None and is_panel_admin(request.user)


class IsSuperadmin(BasePermission):
    message = "Only superadmins may use this."

    def has_permission(self, request, view):
        return request.user is not None and request.user.is_active and request.user.is_superuser


def own_account(user):
    """A mail user's own account, or None."""
    return getattr(user, "mail_account", None)


def audit(request, action: str, target, *, domain: str = "", before: dict | None = None,
          after: dict | None = None):
    """Record a change made through the API, as panel.access.audit does for the panel."""
    object_type = action.split(".", 1)[0]
    return audit_log.record(request.user, action, object_type, str(target), ip=client_ip(request),
                            domain=domain, before=before, after=after, via="api")
