"""The filter and quarantine pages, panel and webmail, work under the site's CSP: no inline
style, script or event handler."""
import re

import pytest

from mailcore.filters.quarantine import hold


def _assert_csp_clean(page: str):
    assert not re.search(r"\sstyle=", page)
    assert not re.search(r"\son[a-z]+=", page)
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", page))


@pytest.fixture
def held(alice):
    return hold(b"Subject: <b>x</b>\r\n\r\nx\r\n", mail_from="s@example.net", recipients=[alice.address],
                kind="spam", reason="score 9", score=9.0)


@pytest.mark.parametrize("path", ["/panel/filters/", "/panel/filters/domain/example.test/",
                                  "/panel/filters/quarantine/", "/panel/filters/quarantine/{pk}/"])
def test_panel_pages_have_no_inline_code(super_client, held, path):
    response = super_client.get(path.format(pk=held.pk))
    assert response.status_code == 200
    _assert_csp_clean(response.content.decode())


@pytest.mark.parametrize("path", ["/mail/quarantine/", "/mail/quarantine/{pk}/"])
def test_webmail_pages_have_no_inline_code(client, alice, held, path):
    client.force_login(alice.user)
    response = client.get(path.format(pk=held.pk))
    assert response.status_code == 200
    page = response.content.decode()
    _assert_csp_clean(page)
    assert "<b>x</b>" not in page  # the subject is escaped
