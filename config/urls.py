"""URL routes: the control panel, the webmail and the health endpoint."""
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("panel.urls")),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("mail/", include("webmail.urls")),
    prefix_default_language=False,
)
