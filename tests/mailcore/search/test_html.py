"""HTML mail is indexed by its visible text: no markup, no script or style, entities decoded."""
import pytest

from mailcore.store.models import Message

PAGE = """<!DOCTYPE html>
<html><head><title>zztitle</title>
<style>.zzstyle { color: red }</style>
<script type="text/javascript">var zzscript = "hidden";</script>
</head><body>
<!-- zzcomment -->
<p class="zzattribute">Visible&nbsp;words &amp; more: &eacute;t&eacute; &#273;&#417;n &lt;tag&gt;</p>
<div>Xin ch&agrave;o<br>qu&yacute; kh&aacute;ch</div>
<SCRIPT>zzupperscript()</SCRIPT><noscript>zznoscript</noscript>
<a href="https://zzlink.example/">the link text</a>
</body></html>"""


@pytest.fixture
def html_only(alice, build, deliver):
    deliver(alice, build("web page", PAGE, content_type="text/html"))


@pytest.mark.parametrize("text", ["visible words", "ete", "été", "don", "xin chao quy khach", "link text"])
def test_it_finds_html_only_mail_by_its_visible_text(alice, html_only, found, text):
    assert found(alice, text) == {"web page"}


@pytest.mark.parametrize("text", ["zzscript", "hidden", "zzstyle", "color", "zzupperscript", "zznoscript",
                                  "zzcomment", "zzattribute", "zzlink", "zztitle", "href", "amp", "nbsp",
                                  "eacute", "html"])
def test_it_does_not_index_markup_scripts_or_styles(alice, html_only, found, text):
    assert found(alice, text) == set()


def test_the_preview_shows_visible_text_only(alice, html_only):
    assert Message.objects.get().preview == "Visible words & more: été đơn <tag> Xin chào quý khách the link text"


def test_it_indexes_both_sides_of_multipart_alternative(alice, deliver, found):
    raw = (
        b"From: bob@example.test\r\nTo: alice@example.test\r\nSubject: alternative\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n"
        b"--alt\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlain version: h\xc3\xb3a \xc4\x91\xc6\xa1n\r\n"
        b"--alt\r\nContent-Type: text/html; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
        b"<p>Rich version: caf=E9 <b>bold</b></p><script>zzscript</script>\r\n"
        b"--alt--\r\n"
    )
    deliver(alice, raw)
    assert found(alice, "plain version hoa don") == {"alternative"}
    assert found(alice, "rich version cafe bold") == {"alternative"}
    assert found(alice, "zzscript") == set()


def test_unclosed_tags_and_broken_markup_do_not_fail_the_append(alice, build, deliver, found):
    html = "<p>before <b>bold <i><div <<>> &bogus; &#xZZ; after <script>never"
    deliver(alice, build("broken", html, content_type="text/html"))
    assert found(alice, "before bold") == {"broken"}
    assert found(alice, "never") == set()
