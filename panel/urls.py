"""Panel routes under /panel/, one include per area; every name lives in the "panel" namespace."""
from django.urls import include, path

from .dashboard.held import release_sending
from .dashboard.views import home

app_name = "panel"
urlpatterns = [
    path("", home, name="home"),
    path("held/<int:pk>/release/", release_sending, name="release_sending"),
    path("domains/", include("panel.domains.urls")),
    path("accounts/", include("panel.accounts.urls")),
    path("rules/", include("panel.rules.urls")),
    path("dns/", include("panel.dns.urls")),
    path("clients/", include("panel.clients.urls")),
    path("activity/", include("panel.activity.urls")),
    path("filters/", include("panel.filters.urls")),
    path("relay/", include("panel.relay.urls")),
    path("api-tokens/", include("panel.tokens.urls")),
    path("migration/", include("panel.migration.urls")),
    path("backups/", include("panel.backups.urls")),
    path("outbound-tls/", include("panel.outbound_tls.urls")),
]
