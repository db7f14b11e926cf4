"""The site's URLs with the filter areas wired in, for their tests until config wires them.

panel/urls.py and webmail/urls.py belong to other helpers; the lead adds
path("filters/", include("panel.filters.urls")) and path("quarantine/",
include("webmail.quarantine.urls")) there. Tests mark themselves with
pytest.mark.urls(URLCONF); once the includes land, this module and the marks can go.
"""
from django.urls import include, path

from config.urls import urlpatterns as site
from panel import urls as panel_urls
from webmail import urls as webmail_urls

URLCONF = "tests.panel.test_filters_urlconf"


def _with(module, extra):
    names = {str(p.pattern) for p in module.urlpatterns}
    return [*module.urlpatterns, *(p for p in extra if str(p.pattern) not in names)]


urlpatterns = [
    path("mail/", include((_with(webmail_urls, [path("quarantine/", include("webmail.quarantine.urls"))]),
                           "webmail"))),
    path("panel/", include((_with(panel_urls, [path("filters/", include("panel.filters.urls"))]), "panel"))),
    *site,
]
