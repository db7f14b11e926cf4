"""The message page: headers, plain text body, buttons, and who may see it."""
from datetime import UTC, datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from tests.webmail.reading.mails import message, put
from webmail.models import preferences_for


def page(client, folder_id, uid):
    return client.get(reverse("webmail:message", args=[folder_id, uid]))


def test_it_shows_subject_sender_recipients_and_date_in_the_users_time_zone(alice_client, alice):
    prefs = preferences_for(alice)
    prefs.time_zone = "Asia/Ho_Chi_Minh"
    prefs.save()
    raw = message(subject="Hóa đơn tháng 11", text="Xin chào", sender="Bình <binh@example.org>",
                  to="Alice <alice@example.test>", cc="carol@example.org",
                  date=datetime(2026, 11, 20, 1, 30, tzinfo=UTC))
    response = page(alice_client, *put(alice, raw))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hóa đơn tháng 11" in html
    assert "Bình &lt;binh@example.org&gt;" in html
    assert "Alice &lt;alice@example.test&gt;" in html
    assert "carol@example.org" in html
    assert 'datetime="2026-11-20T08:30:00+07:00"' in html  # 01:30 UTC in Hanoi


def test_a_plain_text_body_is_escaped_with_links_and_quotes(alice_client, alice):
    text = "See https://example.com/a?b=1&c=2.\n<script>alert(1)</script>\n> quoted\n>> deeper\n"
    html = page(alice_client, *put(alice, message(text=text))).content.decode()
    assert ('<a href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">'
            "https://example.com/a?b=1&amp;c=2</a>.") in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<span class="quote quote-1">&gt; quoted</span>' in html
    assert '<span class="quote quote-2">&gt;&gt; deeper</span>' in html
    assert "<iframe" not in html


def test_it_has_reply_forward_and_action_buttons_with_their_shortcuts(alice_client, alice):
    folder_id, uid = put(alice, message(text="x"))
    html = page(alice_client, folder_id, uid).content.decode()
    for key in ("r", "a", "f", "e", "#"):  # j and k: test_neighbours.py
        assert f'data-shortcut="{key}"' in html
    for action in ("archive", "delete", "unread", "spam"):
        assert f'name="action" value="{action}"' in html
    assert 'name="move_to"' in html  # the "Move to" menu: one button per folder
    for name, param in (("reply", "reply"), ("reply_all", "reply_all"), ("forward", "forward")):
        assert f'href="{reply_url(name, param, folder_id, uid)}"' in html


def reply_url(name, param, folder_id, uid):
    """The compose helper's own route when it exists, else compose with a query."""
    try:
        return reverse(f"webmail:{name}", args=[folder_id, uid])
    except NoReverseMatch:
        return f"{reverse('webmail:compose')}?{param}={folder_id}:{uid}"


def test_another_accounts_message_is_not_found(alice_client, bob):
    folder_id, uid = put(bob, message(subject="Bob's secret", text="secret"))
    assert page(alice_client, folder_id, uid).status_code == 404
    for name in ("webmail:body", "webmail:raw", "webmail:print"):
        assert alice_client.get(reverse(name, args=[folder_id, uid])).status_code == 404
    assert alice_client.get(reverse("webmail:part", args=[folder_id, uid, "1"])).status_code == 404


def test_a_missing_uid_is_not_found(alice_client, alice):
    folder_id, uid = put(alice, message(text="x"))
    assert page(alice_client, folder_id, uid + 1).status_code == 404


def test_it_needs_a_signed_in_user(client, alice):
    folder_id, uid = put(alice, message(text="x"))
    response = page(client, folder_id, uid)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_its_queries_do_not_grow_with_the_folder(alice_client, alice):
    folder_id, uid = put(alice, message(html="<p>x</p>"), flags=["\\Seen"])
    page(alice_client, folder_id, uid)  # the first request records the browser session

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert page(alice_client, folder_id, uid).status_code == 200
        return len(captured.captured_queries)

    few = queries()
    for _ in range(30):
        put(alice, message(text="other"))
    assert queries() == few <= 20
