"""Every activity page works under the site's CSP: no inline style, script or handlers."""
import re

import pytest
from django.urls import reverse

from mailcore.audit.log import record
from mailcore.stats.counts import count
from tests.panel.activity_rows import queued

PAGES = ["panel:delivery_log", "panel:queue", "panel:listeners", "panel:stats", "panel:storage", "panel:audit_log"]


@pytest.mark.parametrize("name", PAGES)
def test_the_page_has_no_inline_style_or_script(super_client, superadmin, alice, name):
    queued("alice@example.test")
    count("example.test", "received", 5)
    record(superadmin, "account.quota", "account", "alice@example.test", domain="example.test",
           before={"quota": 1}, after={"quota": 2})
    page = super_client.get(reverse(name)).content.decode()
    assert not re.search(r"\sstyle=", page)
    assert not re.search(r"\son[a-z]+=", page)
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", page))
