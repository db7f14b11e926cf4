"""Icons and the site icon: every icon a template asks for is in the sprite, icons are hidden
from screen readers, no emoji stands in for one, and the favicon is served."""
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.template import Context, Template, TemplateSyntaxError

from webmail.sidebar import SPECIAL_ICONS

ROOT = Path(__file__).resolve().parent.parent.parent
SPRITE = ROOT / "webmail" / "static" / "webmail" / "icons.svg"
TEMPLATES = [*(ROOT / "webmail" / "templates").rglob("*.html"), *(ROOT / "templates").rglob("*.html")]
EMOJI = re.compile("[\U0001F300-\U0001FAFF\u2600-\u27BF\u2B50]")


def sprite_symbols() -> set[str]:
    tree = ElementTree.parse(SPRITE)
    return {element.get("id") for element in tree.iter("{http://www.w3.org/2000/svg}symbol")}


def test_every_icon_a_template_names_is_in_the_sprite():
    symbols = sprite_symbols()
    named = set()
    for path in TEMPLATES:
        named.update(re.findall(r'{%\s*icon\s+"([a-z0-9-]+)"', path.read_text()))
    # Names chosen in code or by a filter: the sidebar's, the sort mark's.
    named.update(SPECIAL_ICONS.values(), {"inbox", "folder", "newer", "older"})
    assert len(named) > 20
    assert named <= symbols, f"missing from icons.svg: {sorted(named - symbols)}"


def test_an_icon_is_decoration_for_assistive_technology():
    html = Template('{% load webmail_icons %}{% icon "paperclip" %}').render(Context())
    assert 'aria-hidden="true"' in html and 'focusable="false"' in html
    assert re.search(r'<use href="/static/webmail/icons\.svg#paperclip">', html)


def test_a_bad_icon_name_is_refused():
    with pytest.raises(TemplateSyntaxError):
        Template('{% load webmail_icons %}{% icon name %}').render(Context({"name": '"><script>'}))


def test_no_template_draws_an_icon_with_an_emoji():
    for path in TEMPLATES:
        text = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", "", path.read_text(), flags=re.S)
        assert not EMOJI.search(text), f"{path.relative_to(ROOT)} uses an emoji or symbol character"


@pytest.mark.django_db
def test_the_list_marks_attachments_and_flags_with_icons(alice_client, alice):
    from tests.webmail.reading.mails import message, put

    folder_id, _uid = put(alice, message(text="see file", attachments=[("a.pdf", "application", "pdf", b"%PDF")]),
                          flags=["\\Flagged"])
    html = alice_client.get(f"/mail/folder/{folder_id}/").content.decode()
    assert "icons.svg#paperclip" in html and 'aria-pressed="true"' in html
    assert not EMOJI.search(html)


def test_the_site_icon_files_are_there():
    static = ROOT / "static"
    assert (static / "favicon.svg").read_text().startswith("<svg")
    for name, size in (("favicon.png", 32), ("apple-touch-icon.png", 180)):
        data = (static / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(data[16:20], "big") == int.from_bytes(data[20:24], "big") == size  # IHDR


@pytest.fixture
def superadmin_client(db):
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.create_superuser("root", email="", password="x"))
    return client


@pytest.mark.django_db
def test_favicon_ico_points_at_the_png(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == "/static/favicon.png"


@pytest.mark.django_db
def test_every_layout_names_the_site_icon(alice_client, superadmin_client):
    from django.test import Client

    for html in (alice_client.get("/mail/", follow=True).content.decode(),
                 superadmin_client.get("/panel/").content.decode(),
                 Client().get("/accounts/login/").content.decode()):
        assert 'rel="icon" href="/static/favicon.svg" type="image/svg+xml"' in html
        assert 'href="/static/favicon.png" sizes="32x32" type="image/png"' in html
