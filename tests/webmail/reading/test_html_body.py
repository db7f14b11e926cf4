"""HTML bodies: a sandboxed frame on the page, the sanitised document under its own CSP."""
from django.urls import reverse

from tests.webmail.reading.mails import message, put

HTML = '<p onclick="alert(1)">Hello <b>there</b><script>alert(2)</script></p>'


def test_the_page_frames_the_body_in_a_sandbox_without_scripts_or_same_origin(alice_client, alice):
    folder_id, uid = put(alice, message(text="plain version", html=HTML))
    response = alice_client.get(reverse("webmail:message", args=[folder_id, uid]))
    html = response.content.decode()
    assert 'sandbox="allow-popups allow-popups-to-escape-sandbox"' in html
    assert f'src="{reverse("webmail:body", args=[folder_id, uid])}"' in html
    assert "plain version" not in html  # the HTML alternative is the one shown
    policy = response["Content-Security-Policy"]
    assert "frame-src 'self'" in policy
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy


def test_the_body_is_sanitised_and_served_with_a_strict_policy(alice_client, alice):
    folder_id, uid = put(alice, message(html=HTML))
    response = alice_client.get(reverse("webmail:body", args=[folder_id, uid]))
    body = response.content.decode()
    assert "<p>Hello <b>there</b></p>" in body
    assert "alert" not in body and "onclick" not in body
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["style-src"] == "'unsafe-inline'"
    assert directives["img-src"] == "'self' data:"
    assert directives["form-action"] == "'none'"
    assert directives["frame-ancestors"] == "'self'"
    assert directives["base-uri"] == "'none'"
    assert "script-src" not in directives
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_plain_text_message_has_no_html_body(alice_client, alice):
    folder_id, uid = put(alice, message(text="just text"))
    assert alice_client.get(reverse("webmail:body", args=[folder_id, uid])).status_code == 404


def test_another_accounts_body_is_not_found(alice_client, bob):
    folder_id, uid = put(bob, message(html="<p>bob's</p>"))
    assert alice_client.get(reverse("webmail:body", args=[folder_id, uid])).status_code == 404


def test_a_cut_body_says_so(alice_client, alice, monkeypatch):
    monkeypatch.setattr("webmail.reading.sanitize.MAX_HTML_CHARS", 100)
    folder_id, uid = put(alice, message(html="<p>" + "long " * 100 + "</p>"))
    html = alice_client.get(reverse("webmail:message", args=[folder_id, uid])).content.decode()
    assert "only its beginning is shown" in html
