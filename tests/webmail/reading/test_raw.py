"""Show original: the raw source as text/plain, never as a page."""
from django.urls import reverse

from mailcore.store.fetch import fetch_raw, get_message
from tests.webmail.reading.mails import message, put


def test_the_raw_source_is_served_as_utf8_text_with_hardening_headers(alice_client, alice):
    folder_id, uid = put(alice, message(subject="Chào", html="<script>alert(1)</script>"))
    response = alice_client.get(reverse("webmail:raw", args=[folder_id, uid]))
    assert response.status_code == 200
    assert response.content == fetch_raw(get_message(alice.pk, folder_id, uid))
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"].startswith(f'inline; filename="message-{uid}.eml"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")


def test_eight_bit_bytes_that_are_not_utf8_are_labelled_with_the_bodys_charset(alice_client, alice):
    raw = (b"From: a@example.org\r\nTo: alice@example.test\r\nSubject: latin\r\n"
           b"Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
           b"caf\xe9\r\n")
    folder_id, uid = put(alice, raw)
    response = alice_client.get(reverse("webmail:raw", args=[folder_id, uid]))
    assert response["Content-Type"] == "text/plain; charset=iso8859-1"
    assert response.content.endswith(b"caf\xe9\r\n")
