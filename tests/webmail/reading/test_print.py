"""The print view: a clean page with the headers and the body, printed from reading.js."""
from django.urls import reverse

from tests.webmail.reading.mails import message, put


def test_the_print_view_has_headers_body_and_a_print_button(alice_client, alice):
    folder_id, uid = put(alice, message(subject="Invoice 42", text="Total: 10 EUR",
                                        sender="shop@example.org"))
    response = alice_client.get(reverse("webmail:print", args=[folder_id, uid]))
    html = response.content.decode()
    assert "Invoice 42" in html and "Total: 10 EUR" in html and "shop@example.org" in html
    assert "data-print" in html and "webmail/reading.js" in html
    assert "wm-sidebar" not in html  # no webmail chrome on paper
    assert "<script>" not in html  # the site's CSP allows no inline script


def test_an_html_body_is_printed_sanitised_under_a_policy_without_remote_images(alice_client, alice):
    folder_id, uid = put(alice, message(html='<p>Hi<img src="https://t.example/p.gif"></p>'
                                              '<form action="https://x.example/"><input></form>'))
    response = alice_client.get(reverse("webmail:print", args=[folder_id, uid]))
    html = response.content.decode()
    assert "<p>Hi<img></p>" in html
    assert "<form" not in html.split('class="rd-body"', 1)[1]
    policy = response["Content-Security-Policy"]
    assert "img-src 'self' data:" in policy and "form-action 'none'" in policy
    assert "script-src 'self'" in policy


def test_it_does_not_mark_the_message_seen(alice_client, alice):
    from mailcore.store.fetch import get_message

    folder_id, uid = put(alice, message(text="x"))
    alice_client.get(reverse("webmail:print", args=[folder_id, uid]))
    assert not get_message(alice.pk, folder_id, uid).seen
