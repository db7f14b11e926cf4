"""What each row of the message list carries (the layout itself is measured in a browser:
tests/browser/test_list_layout_browser.py): subject then preview, the flag as a toggle that
works without script, the conversation count, and actions that come back to the list."""
import re

import pytest

from mailcore.store.models import Message

pytestmark = pytest.mark.django_db


def test_a_row_has_its_subject_and_its_preview(alice_client, put, inbox):
    put(subject="Hóa đơn tháng 11", body="Xin chào, hóa đơn đã sẵn sàng.")
    html = alice_client.get(f"/mail/folder/{inbox.pk}/").content.decode()
    assert '<span class="subject-text">Hóa đơn tháng 11</span>' in html
    assert re.search(r'<span class="preview"><span class="sep">— </span>Xin chào, hóa đơn đã sẵn sàng\.</span>', html)


def test_the_star_is_a_form_that_flags_and_unflags(alice_client, put, inbox):
    put(subject="star me")
    message = Message.objects.get(subject="star me")
    html = alice_client.get(f"/mail/folder/{inbox.pk}/?sort=subject&dir=asc").content.decode()
    (form,) = re.findall(r'<form method="post" action="([^"]+)" class="flag-toggle">(.*?)</form>', html, re.S)
    assert form[0] == f"/mail/folder/{inbox.pk}/act/"
    fields = dict(re.findall(r'name="(uid|next)" value="([^"]*)"', form[1]))
    assert fields == {"uid": str(message.uid), "next": f"/mail/folder/{inbox.pk}/?sort=subject&amp;dir=asc"}
    assert 'name="action" value="flag"' in form[1] and 'aria-pressed="false"' in form[1]

    back = fields["next"].replace("&amp;", "&")
    response = alice_client.post(form[0], {"uid": message.uid, "action": "flag", "next": back})
    assert response["Location"] == f"/mail/folder/{inbox.pk}/?sort=subject&dir=asc"  # back to the same list
    message.refresh_from_db()
    assert message.flagged
    html = alice_client.get(f"/mail/folder/{inbox.pk}/").content.decode()
    assert 'name="action" value="unflag"' in html and 'aria-pressed="true"' in html


def test_the_script_flags_in_the_background_without_a_notice(alice_client, put, inbox):
    put(subject="quiet")
    uid = Message.objects.get(subject="quiet").uid
    response = alice_client.post(f"/mail/folder/{inbox.pk}/act/", {"uid": uid, "action": "flag"},
                                 HTTP_ACCEPT="application/json")
    assert response.json()["done"] == 1
    assert "message flagged" not in alice_client.get(f"/mail/folder/{inbox.pk}/").content.decode()


def test_the_live_update_fragment_sends_actions_back_to_the_list_not_the_fragment(alice_client, put, inbox):
    put(subject="fresh")
    html = alice_client.get(f"/mail/folder/{inbox.pk}/?sort=size&fragment=1").content.decode()
    nexts = re.findall(r'name="next" value="([^"]*)"', html)
    assert nexts and all("fragment" not in value for value in nexts)
    assert f'name="next" value="/mail/folder/{inbox.pk}/?sort=size"' in html


def test_the_move_menu_offers_every_other_folder_by_name(alice_client, put, inbox, alice):
    from mailcore.store.folders import create_folder

    work = create_folder(alice.pk, "Work/Dự án")
    put(subject="move me")
    html = alice_client.get(f"/mail/folder/{inbox.pk}/").content.decode()
    offered = re.findall(r'name="move_to" value="(\d+)" class="menu-item depth-(\d)"', html)
    assert (str(work.pk), "1") in offered and str(inbox.pk) not in [pk for pk, _depth in offered]
    assert "<span>Dự án</span>" in html
    uid = Message.objects.get(subject="move me").uid
    alice_client.post(f"/mail/folder/{inbox.pk}/act/", {"uid": uid, "move_to": work.pk})
    assert Message.objects.get(subject="move me").folder_id == work.pk


def test_a_move_to_another_accounts_folder_is_refused(alice_client, put, inbox, bob):
    from mailcore.store.folders import get_folder

    put(subject="mine")
    uid = Message.objects.get(subject="mine").uid
    bobs_inbox = get_folder(bob.pk, "INBOX").pk
    response = alice_client.post(f"/mail/folder/{inbox.pk}/act/", {"uid": uid, "move_to": bobs_inbox},
                                 HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert Message.objects.get(subject="mine").folder_id == inbox.pk


def test_the_conversations_switch_says_whether_it_is_on(alice_client, put, inbox):
    put(subject="plan", message_id="<root@x>")
    put(subject="Re: plan", in_reply_to="<root@x>", references="<root@x>")
    html = alice_client.get(f"/mail/folder/{inbox.pk}/").content.decode()
    assert 'aria-pressed="false"' in html and '<span class="switch-state" aria-hidden="true">Off</span>' in html
    assert "2 messages" in html
    alice_client.post("/mail/conversations/", {"folder": inbox.pk})
    html = alice_client.get(f"/mail/folder/{inbox.pk}/").content.decode()
    assert '<span class="switch-state" aria-hidden="true">On</span>' in html
    assert "1 conversation" in html
    # The count, readable by eye and by a screen reader.
    badge = ('<span class="count"><span aria-hidden="true">2</span>'
             '<span class="visually-hidden">2 messages</span></span>')
    assert badge in html
    html = alice_client.get(f"/mail/folder/{inbox.pk}/?sort=subject").content.decode()
    assert "single messages are listed" in html  # sorted otherwise: on, but not grouping


def test_on_a_phone_the_menu_has_the_sort_order(alice_client, put, inbox):
    put(subject="x")
    html = alice_client.get(f"/mail/folder/{inbox.pk}/?sort=size&dir=desc").content.decode()
    sort_menu = html[html.index('class="menu-sort'):]
    assert 'href="?sort=from&amp;dir=asc&amp;page=1"' in sort_menu
    assert re.search(r'href="\?sort=size&amp;dir=asc&amp;page=1" aria-current="true"', sort_menu)


def test_sent_shows_and_sorts_by_the_recipients(alice_client, put, alice):
    from mailcore.store.folders import get_folder

    sent = get_folder(alice.pk, "Sent")
    put(folder="Sent", subject="to Minh", to="Phạm Minh <minh@example.org>")
    html = alice_client.get(f"/mail/folder/{sent.pk}/").content.decode()
    assert re.search(r'<th class="from" scope="col"><a href="\?sort=to&amp;[^"]*">To</a></th>', html)
    sort_menu = html[html.index('class="menu-sort'):]
    assert "sort=from" not in sort_menu  # the menu offers what the column shows
