"""The body rules: HTML-only with hidden text, links that show one domain and go to another,
and links imitating the From domain."""
import pytest

from mailcore.filters.spam_rules import rule_findings

pytestmark = pytest.mark.django_db

HEAD = (
    "From: Bank <service@bigbank.example>\r\nTo: alice@example.test\r\nSubject: Notice\r\n"
    "Date: Sun, 29 Nov 2026 10:00:00 +0000\r\nMessage-ID: <1@bigbank.example>\r\nMIME-Version: 1.0\r\n"
)


def html_only(html: str) -> bytes:
    return (HEAD + "Content-Type: text/html; charset=utf-8\r\n\r\n" + html + "\r\n").encode()


def alternative(text: str, html: str) -> bytes:
    return (HEAD + 'Content-Type: multipart/alternative; boundary="b"\r\n\r\n'
            f"--b\r\nContent-Type: text/plain\r\n\r\n{text}\r\n"
            f"--b\r\nContent-Type: text/html\r\n\r\n{html}\r\n--b--\r\n").encode()


def rules(raw):
    return {finding.rule for finding in rule_findings(raw)}


FILLER = "replica watches cheap pills casino bonus " * 2


@pytest.mark.parametrize("hidden", [
    f'<div style="display: none">{FILLER}</div>',
    f'<span style="visibility:hidden">{FILLER}</span>',
    f'<p style="font-size:1px">{FILLER}</p>',
    f'<p style="font-size: 0">{FILLER}</p>',
    f'<font color="#ffffff">{FILLER}</font>',
    f'<p style="color: white">{FILLER}</p>',
    f'<div style="display:none"><p><b>{FILLER}</b></p></div>',
])
def test_hidden_text_in_html_only_mail_fires(hidden):
    assert rules(html_only(f"<html><body><p>Hello</p>{hidden}</body></html>")) == {"HTML_ONLY", "HTML_HIDDEN_TEXT"}


def test_white_text_on_a_coloured_background_is_not_hidden():
    html = f'<table><tr><td bgcolor="#0055aa"><a style="color:#fff" href="https://bigbank.example/">{FILLER}</a>'
    assert rules(html_only(html + "</td></tr></table>")) == {"HTML_ONLY"}


def test_text_after_a_hidden_element_is_visible_again():
    html = f'<div style="display:none">Preview</div><p>{FILLER}</p>'
    assert rules(html_only(html)) == {"HTML_ONLY"}


def test_hidden_text_with_a_plain_text_alternative_does_not_fire():
    # A hidden preheader is common in newsletters that also send a text part.
    assert rules(alternative("Hello", f'<div style="display:none">{FILLER}</div><p>Hello</p>')) == set()


def test_a_link_showing_another_domain_fires():
    html = '<p><a href="http://evil.example/login">https://www.bigbank.example/login</a></p>'
    findings = {f.rule: f for f in rule_findings(alternative("x", html))}
    assert set(findings) == {"LINK_TEXT_MISMATCH"}
    assert "evil.example" in findings["LINK_TEXT_MISMATCH"].detail


def test_a_link_whose_text_names_its_own_domain_does_not_fire():
    html = ('<a href="https://login.bigbank.example/x">www.bigbank.example</a> '
            '<a href="https://bigbank.example/unsubscribe">Unsubscribe</a> <a href="mailto:x@y.example">x.example</a>')
    assert rules(alternative("x", html)) == set()


@pytest.mark.parametrize("href", [
    "https://bigbank.example.attacker.example/verify",
    "https://bigbank-secure.example/verify",
    "https://bigbamk.example/verify",
    "http://securebigbank.example/",
])
def test_a_link_imitating_the_from_domain_fires(href):
    assert rules(alternative("x", f'<a href="{href}">Verify your account</a>')) == {"URL_FROM_LOOKALIKE"}


@pytest.mark.parametrize("href", [
    "https://bigbank.example/verify", "https://www.bigbank.example/", "https://news.example/article",
    "https://bigbank.test/",
])
def test_links_to_the_from_domain_or_unrelated_ones_do_not_fire(href):
    assert rules(alternative("x", f'<a href="{href}">Read more</a>')) == set()


def test_hostile_html_does_not_fail_the_scan():
    raw = html_only("<a href='http://[::1'>x</a><div style=" + "<" * 1000 + "</b></i></p>" * 500)
    assert "HTML_ONLY" in rules(raw)
