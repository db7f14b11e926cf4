"""URL routes: the control panel, the webmail and the health endpoint.

URLs carry no language prefix: a mail client's links and bookmarks must not change
with the interface language. LocaleMiddleware picks the language from the user's
choice (the cookie set by ``i18n/setlang/``) or else the browser's Accept-Language.
"""
from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic.base import RedirectView

# Django's admin signs in through allauth only: its own password form would skip the
# second factor and the lockouts (issue 16). Staff who are signed in still reach it.
admin.site.login = secure_admin_login(admin.site.login)


class FaviconView(RedirectView):
    """/favicon.ico, which browsers fetch for pages that name no icon (raw text, downloads)."""

    def get_redirect_url(self, *args, **kwargs):
        return static("favicon.png")  # hashed by collectstatic: asked for each time


urlpatterns = [
    path("favicon.ico", FaviconView.as_view()),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    # Before mail/: Thunderbird fetches /mail/config-v1.1.xml from the mail host.
    path("", include("panel.public_urls")),
    path("mail/", include("webmail.urls")),
    path("panel/", include("panel.urls")),
    path("api/v1/", include("panel.api.urls")),
]
