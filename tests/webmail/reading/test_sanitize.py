"""The HTML sanitiser over the hostile corpus, and what it must keep for real mail."""
from html.parser import HTMLParser

import pytest

from tests.webmail.reading.hostile import corpus
from webmail.reading.sanitize import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    MAX_DEPTH,
    MAX_HTML_CHARS,
    normalized_url,
    sanitize_html,
)

CID_URL = "/mail/inline/token/"


def cid_url(key):
    return CID_URL if key == "logo@example.test" else None


class Elements(HTMLParser):
    """Every element and its attributes as a browser's parser would see them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self.comments = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag

    def handle_comment(self, data):
        self.comments.append(data)


def elements(html):
    parser = Elements()
    parser.feed(html)
    parser.close()
    return parser


def allowed(tag, attribute):
    return attribute in ALLOWED_ATTRIBUTES["*"] or attribute in ALLOWED_ATTRIBUTES.get(tag, []) \
        or (tag == "a" and attribute in ("target", "rel"))


@pytest.mark.parametrize("name", sorted(corpus()))
def test_hostile_mail_keeps_only_allowed_tags_attributes_and_urls(name):
    result = sanitize_html(corpus()[name], cid_url)
    parsed = elements(result.html)
    assert not parsed.comments
    for tag, attrs in parsed.elements:
        assert tag in ALLOWED_TAGS, (tag, result.html[:300])
        for attribute in attrs:
            assert allowed(tag, attribute), (tag, attribute)
            assert not attribute.startswith("on")
        if "href" in attrs:
            assert normalized_url(attrs["href"]).startswith(("http:", "https:", "mailto:"))
        for attribute in ("src", "background"):
            if attribute in attrs:
                assert attrs[attribute] == CID_URL or attrs[attribute].startswith("data:image/png")
        if tag == "a":
            assert attrs["target"] == "_blank" and attrs["rel"] == "noopener noreferrer"
        style = attrs.get("style", "").lower()
        for word in ("url", "expression", "binding", "behavior", "javascript", "\\", "&"):
            assert word not in style, style
    # Payload text may survive as inert, escaped text; never inside an attribute.
    values = " ".join(normalized_url(v) for _tag, attrs in parsed.elements for v in attrs.values())
    for word in ("evil.test", "javascript:", "vbscript:", "data:text"):
        assert word not in values, (word, result.html[:300])
    assert "<script" not in result.html.lower()


@pytest.mark.parametrize("name", ["img_onerror", "background_attr", "srcset"])
def test_remote_images_are_reported_as_blocked(name):
    assert sanitize_html(corpus()[name]).remote_blocked


def test_script_and_style_content_is_dropped_not_shown_as_text():
    result = sanitize_html("<p>Hi</p><script>var secret = 1;</script><style>p { color: red }</style>")
    assert result.html == "<p>Hi</p>"


def test_form_controls_go_but_the_text_around_them_stays():
    html = sanitize_html(corpus()["form_phishing"]).html
    assert "Your mailbox is full" in html
    assert "<form" not in html and "<input" not in html and "Log in" not in html


def test_links_open_in_a_new_window_without_opener():
    html = sanitize_html('<a href="https://example.com/a?b=1&amp;c=2" target="_top">x</a>').html
    assert html == ('<a href="https://example.com/a?b=1&amp;c=2" target="_blank" '
                    'rel="noopener noreferrer">x</a>')


def test_mailto_links_stay():
    assert 'href="mailto:bob@example.test"' in sanitize_html('<a href="mailto:bob@example.test">b</a>').html


def test_relative_links_lose_their_href():
    # Inside the frame they would point into the webmail itself.
    assert sanitize_html('<a href="/mail/settings/">s</a>').html == \
        '<a target="_blank" rel="noopener noreferrer">s</a>'


def test_remote_images_are_removed_unless_allowed():
    html = '<img src="https://news.example/pixel.gif" alt="Logo" width="10">'
    blocked = sanitize_html(html)
    assert blocked.html == '<img alt="Logo" width="10">' and blocked.remote_blocked
    shown = sanitize_html(html, allow_remote=True)
    assert 'src="https://news.example/pixel.gif"' in shown.html and not shown.remote_blocked


def test_cid_images_point_at_the_part_url():
    result = sanitize_html('<img src="CID:logo@example.test"><img src="cid:%3Clogo@example.test%3E">', cid_url)
    assert result.html == f'<img src="{CID_URL}"><img src="{CID_URL}">'
    assert result.cid_used == {"logo@example.test"}


def test_an_unknown_cid_loses_its_src():
    assert sanitize_html('<img src="cid:missing@x">', cid_url).html == "<img>"


def test_data_images_of_raster_types_stay_and_others_go():
    html = sanitize_html('<img src="data:image/gif;base64,R0lGOD"><img src="data:image/svg+xml,<svg>">').html
    assert html == '<img src="data:image/gif;base64,R0lGOD"><img>'


def test_safe_inline_styles_stay():
    html = sanitize_html('<p style="color: #333; font-family: \'Helvetica Neue\', Arial; '
                         'padding: 4px 8px; background-color: rgb(1, 2, 3)">x</p>').html
    assert "color: #333" in html and "padding: 4px 8px" in html and "rgb(1, 2, 3)" in html
    assert "Helvetica Neue" in html


def test_layout_tables_keep_their_attributes():
    html = sanitize_html('<table width="600" cellpadding="0" bgcolor="#fff"><tr>'
                         '<td align="center" valign="top" colspan="2">x</td></tr></table>').html
    assert 'width="600"' in html and 'cellpadding="0"' in html and 'colspan="2"' in html


def test_deep_nesting_is_flattened_quickly():
    result = sanitize_html(corpus()["huge_nesting"])
    assert "deep" in result.html
    assert result.html.count("<div>") == MAX_DEPTH


def test_very_long_html_is_cut_with_a_note():
    result = sanitize_html("<p>" + "x" * (MAX_HTML_CHARS + 10) + "</p>")
    assert result.truncated
    assert len(result.html) < MAX_HTML_CHARS + 20
