"""Plain text bodies as HTML: escaping, links, quote depth."""
from webmail.reading.plain import quote_depth, render_plain


def test_markup_is_escaped():
    assert render_plain('<b>bold</b> & "quotes"') == "&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quotes&quot;"


def test_urls_become_links_without_the_sentence_punctuation():
    html = render_plain("Read https://example.com/path, then (see https://en.wikipedia.org/wiki/Mail_(x)).")
    assert '<a href="https://example.com/path" target="_blank" rel="noopener noreferrer">' in html
    assert '>https://example.com/path</a>, then' in html
    assert 'href="https://en.wikipedia.org/wiki/Mail_(x)"' in html
    assert "</a>)." in html


def test_only_http_https_and_mailto_become_links():
    html = render_plain("javascript:alert(1) ftp://x.example mailto:bob@example.test www.example.com")
    assert html.count("<a ") == 1 and 'href="mailto:bob@example.test"' in html


def test_a_url_cannot_break_out_of_the_attribute():
    html = render_plain('https://example.com/"onmouseover="alert(1)')
    assert 'href="https://example.com/"' in html and "onmouseover=\"" not in html


def test_quoted_lines_are_marked_by_depth():
    assert quote_depth("> a") == 1 and quote_depth(">> b") == 2 and quote_depth("> > c") == 2
    assert quote_depth("no > quote") == 0
    html = render_plain("reply\n> first\n>>>>>>>> very deep")
    assert html == ('reply\n<span class="quote quote-1">&gt; first</span>\n'
                    '<span class="quote quote-5">&gt;&gt;&gt;&gt;&gt;&gt;&gt;&gt; very deep</span>')
