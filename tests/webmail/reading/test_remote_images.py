"""Remote images: blocked by default; shown for one message, a trusted sender, or always."""
from django.test import Client
from django.urls import reverse

from tests.webmail.reading.mails import message, put
from webmail.models import TrustedSender, preferences_for

HTML = '<p>News</p><img src="https://tracker.example/open.gif?u=alice" alt="pixel">'


def open_page(client, folder_id, uid, query=""):
    return client.get(reverse("webmail:message", args=[folder_id, uid]) + query).content.decode()


def open_body(client, folder_id, uid, query=""):
    return client.get(reverse("webmail:body", args=[folder_id, uid]) + query)


def test_remote_images_are_blocked_by_default_and_the_bar_offers_to_show_them(alice_client, alice):
    folder_id, uid = put(alice, message(html=HTML, sender="news@shop.example"))
    page = open_page(alice_client, folder_id, uid)
    assert "Remote images were blocked." in page
    assert "?images=1" in page and "Always show from news@shop.example" in page
    body = open_body(alice_client, folder_id, uid)
    assert "tracker.example" not in body.content.decode()
    assert "http" not in body["Content-Security-Policy"]


def test_no_bar_when_nothing_remote_was_blocked(alice_client, alice):
    folder_id, uid = put(alice, message(html='<p><a href="https://example.com/">a link</a></p>'))
    assert "Remote images were blocked." not in open_page(alice_client, folder_id, uid)


def test_show_images_loads_them_for_this_message_only(alice_client, alice):
    folder_id, uid = put(alice, message(html=HTML))
    other = put(alice, message(html=HTML, subject="other"))
    page = open_page(alice_client, folder_id, uid, "?images=1")
    assert "Remote images were blocked." not in page
    assert reverse("webmail:body", args=[folder_id, uid]) + "?images=1" in page
    body = open_body(alice_client, folder_id, uid, "?images=1")
    assert 'src="https://tracker.example/open.gif?u=alice"' in body.content.decode()
    assert "img-src 'self' data: https: http:" in body["Content-Security-Policy"]
    assert "tracker.example" not in open_body(alice_client, *other).content.decode()


def test_always_show_from_a_sender_trusts_them_for_every_message(alice_client, alice):
    folder_id, uid = put(alice, message(html=HTML, sender="News <News@Shop.example>"))
    later = put(alice, message(html=HTML, sender="news@shop.example", subject="later"))
    response = alice_client.post(reverse("webmail:trust_sender", args=[folder_id, uid]))
    assert response.status_code == 302
    assert response["Location"] == reverse("webmail:message", args=[folder_id, uid])
    assert TrustedSender.objects.filter(account=alice, address="news@shop.example").exists()
    assert "tracker.example" in open_body(alice_client, *later).content.decode()
    assert "Remote images were blocked." not in open_page(alice_client, *later)


def test_trusting_needs_a_post_with_a_csrf_token(alice, alice_client):
    folder_id, uid = put(alice, message(html=HTML))
    url = reverse("webmail:trust_sender", args=[folder_id, uid])
    assert alice_client.get(url).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice.user)
    assert strict.post(url).status_code == 403
    assert not TrustedSender.objects.exists()


def test_trusting_the_sender_of_another_accounts_message_is_not_found(alice_client, bob):
    folder_id, uid = put(bob, message(html=HTML))
    assert alice_client.post(reverse("webmail:trust_sender", args=[folder_id, uid])).status_code == 404
    assert not TrustedSender.objects.exists()


def test_the_always_load_preference_loads_them_everywhere(alice_client, alice):
    prefs = preferences_for(alice)
    prefs.remote_content = True
    prefs.save()
    folder_id, uid = put(alice, message(html=HTML))
    assert "tracker.example" in open_body(alice_client, folder_id, uid).content.decode()
