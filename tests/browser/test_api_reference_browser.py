"""The API reference page (/api/v1/docs/) in Chromium: Swagger UI drawn from files this
server serves (no request leaves the site: the product runs air-gapped), with no script
or style refused under the site's Content-Security-Policy, and the operations listed."""
from urllib.parse import urlparse


def test_the_reference_renders_from_local_files_only(page, web, db):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/api/v1/docs/")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "HopThu API" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector("text=/api/v1/domains/")
    assert page.locator(".opblock").count() > 30
    own = urlparse(web).netloc
    assert {urlparse(url).netloc for url in requested if not url.startswith("data:")} == {own}
    assert page.errors == [] and page.csp_reports == []
