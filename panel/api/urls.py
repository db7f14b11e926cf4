"""Routes of the REST API, under /api/v1/ (docs/api.md)."""
from django.urls import path, re_path
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView
from rest_framework.decorators import api_view, authentication_classes, permission_classes, throttle_classes

from . import account_access, accounts, activity, aliases, dkim, domains, quarantine, relay
from .problems import problem

app_name = "api"


class ReferencePage(SpectacularSwaggerSplitView):
    """The browsable reference: Swagger UI from drf-spectacular-sidecar's files, served
    here (no CDN; the product runs air-gapped), its start-up script a separate file so
    the site's CSP (no inline scripts) holds."""

    template_name = "panel/api/reference.html"
    url_name = "api:openapi"


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@authentication_classes([])
@permission_classes([])
@throttle_classes([])
def not_found(request, rest):
    return problem(404, "There is no such API resource.")


urlpatterns = [
    path("openapi.json", SpectacularJSONAPIView.as_view(authentication_classes=[],
                                                     permission_classes=[], throttle_classes=[]), name="openapi"),
    path("docs/", ReferencePage.as_view(authentication_classes=[], permission_classes=[], throttle_classes=[]),
         name="reference"),
    path("domains/", domains.DomainList.as_view(), name="domains"),
    path("domains/<str:name>/", domains.DomainDetail.as_view(), name="domain"),
    path("domains/<str:name>/domain-aliases/", domains.DomainAliasList.as_view(), name="domain_aliases"),
    path("domains/<str:name>/domain-aliases/<str:alias>/", domains.DomainAliasDetail.as_view(),
         name="domain_alias"),
    path("accounts/", accounts.AccountList.as_view(), name="accounts"),
    path("accounts/<int:id>/", accounts.AccountDetail.as_view(), name="account"),
    path("accounts/<int:id>/forward/", account_access.Forward.as_view(), name="account_forward"),
    path("accounts/<int:id>/app-passwords/", account_access.AppPasswordList.as_view(), name="app_passwords"),
    path("accounts/<int:id>/app-passwords/<int:app_password_id>/", account_access.AppPasswordDetail.as_view(),
         name="app_password"),
    path("aliases/", aliases.AliasList.as_view(), name="aliases"),
    path("aliases/<int:id>/", aliases.AliasDetail.as_view(), name="alias"),
    path("relay/tokens/", relay.RelayTokenList.as_view(), name="relay_tokens"),
    path("relay/tokens/<int:id>/", relay.RelayTokenDetail.as_view(), name="relay_token"),
    path("relay/networks/", relay.RelayNetworkList.as_view(), name="relay_networks"),
    path("relay/networks/<int:id>/", relay.RelayNetworkDetail.as_view(), name="relay_network"),
    path("domains/<str:name>/dkim/", dkim.DkimKeys.as_view(), name="dkim_keys"),
    path("domains/<str:name>/dkim/activate/", dkim.DkimActivate.as_view(), name="dkim_activate"),
    path("domains/<str:name>/dkim/pending/", dkim.DkimPending.as_view(), name="dkim_pending"),
    path("quarantine/", quarantine.QuarantineList.as_view(), name="quarantine"),
    path("quarantine/<int:id>/", quarantine.QuarantineDetail.as_view(), name="quarantined"),
    path("quarantine/<int:id>/release/", quarantine.QuarantineRelease.as_view(), name="quarantine_release"),
    path("queue/", activity.Queue.as_view(), name="queue"),
    path("queue/retry/", activity.QueueRetry.as_view(), name="queue_retry"),
    path("queue/remove/", activity.QueueRemove.as_view(), name="queue_remove"),
    path("delivery-log/", activity.DeliveryLog.as_view(), name="delivery_log"),
    path("statistics/", activity.Statistics.as_view(), name="statistics"),
    path("audit-log/", activity.AuditLog.as_view(), name="audit_log"),
    re_path(r"^(?P<rest>.*)$", not_found),
]
