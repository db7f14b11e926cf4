"""cid: images: rewritten to signed part URLs the sandboxed frame can load."""
import re

from django.urls import reverse

from tests.webmail.reading.mails import PNG, message, put
from webmail.reading.htmlbody import inline_token

HTML = '<p>Logo: <img src="cid:logo@example.test" alt="logo"></p>'


def inline_src(client, folder_id, uid):
    body = client.get(reverse("webmail:body", args=[folder_id, uid])).content.decode()
    return re.search(r'<img alt="logo" src="([^"]+)">', body).group(1)


def test_a_cid_image_is_served_inline_from_its_part(alice_client, alice, client):
    folder_id, uid = put(alice, message(html=HTML, inline_images=[("logo@example.test", PNG)]))
    src = inline_src(alice_client, folder_id, uid)
    assert src.startswith("/mail/inline/")
    # The frame's requests carry no session cookie (opaque origin): the URL is the proof.
    client.logout()
    response = client.get(src)
    assert response.status_code == 200
    assert response.content == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")


def test_an_inline_image_is_not_listed_as_an_attachment(alice_client, alice):
    folder_id, uid = put(alice, message(html=HTML, inline_images=[("logo@example.test", PNG)]))
    html = alice_client.get(reverse("webmail:message", args=[folder_id, uid])).content.decode()
    assert "attachment" not in html.split('class="rd-body"', 1)[1]


def test_a_forged_or_altered_token_is_not_found(client, alice):
    folder_id, uid = put(alice, message(html=HTML, inline_images=[("logo@example.test", PNG)]))
    good = inline_token(alice.pk, folder_id, uid, "2")
    assert client.get(reverse("webmail:inline", args=[good])).status_code == 200
    assert client.get(reverse("webmail:inline", args=[good[:-2] + "xx"])).status_code == 404
    assert client.get(reverse("webmail:inline", args=["nonsense"])).status_code == 404


def test_a_token_for_another_account_finds_nothing(client, alice, bob):
    folder_id, uid = put(alice, message(html=HTML, inline_images=[("logo@example.test", PNG)]))
    assert client.get(reverse("webmail:inline", args=[inline_token(bob.pk, folder_id, uid, "2")])) \
        .status_code == 404


def test_a_non_image_part_is_never_served_inline(client, alice):
    raw = message(html=HTML, attachments=[("x.html", "text", "html", b"<script>alert(1)</script>")])
    folder_id, uid = put(alice, raw)
    response = client.get(reverse("webmail:inline", args=[inline_token(alice.pk, folder_id, uid, "2")]))
    assert response["Content-Disposition"].startswith("attachment;")
