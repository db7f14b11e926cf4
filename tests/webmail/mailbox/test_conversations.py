"""Conversations: messages grouped by References/In-Reply-To when the toggle is on."""
import pytest

from mailcore.store.models import Message

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversations_on(alice_client, inbox):
    alice_client.post("/mail/conversations/", {"folder": inbox.pk})
    return alice_client


def test_the_toggle_switches_the_preference(alice_client, alice, inbox):
    from webmail.models import preferences_for

    response = alice_client.post("/mail/conversations/", {"folder": inbox.pk})
    assert response["Location"] == f"/mail/folder/{inbox.pk}/"
    assert preferences_for(alice).conversations is True
    alice_client.post("/mail/conversations/", {"folder": inbox.pk})
    assert preferences_for(alice).conversations is False


def test_a_bad_folder_value_falls_back_to_the_inbox(alice_client):
    assert alice_client.post("/mail/conversations/", {"folder": "x'"})["Location"] == "/mail/"


def test_replies_group_under_their_root_newest_activity_first(conversations_on, put, inbox):
    put(subject="plan", message_id="<root@x>", minutes=1)
    put(subject="lunch", minutes=2)
    put(subject="Re: plan", in_reply_to="<root@x>", references="<root@x>", minutes=3, flags=["\\Seen"])
    put(subject="Re: Re: plan", in_reply_to="<r2@x>", references="<root@x> <r2@x>", minutes=4)
    page = conversations_on.get(f"/mail/folder/{inbox.pk}/").context["page"]
    assert [row.subject for row in page.rows] == ["Re: Re: plan", "lunch"]
    plan = page.rows[0].thread
    assert page.counts[plan] == (3, 2)
    assert page.total == 2


def test_a_reply_whose_client_sent_only_in_reply_to_joins_its_parent(put):
    parent = put(message_id="<p@x>")
    child = put(in_reply_to="<p@x>")
    threads = Message.objects.filter(pk__in=[parent.message_id, child.message_id]).values_list("thread", flat=True)
    assert len(set(threads)) == 1


def test_messages_without_any_id_stay_apart(alice, inbox):
    from mailcore.store.append import append

    raw = b"From: a@example.org\r\nSubject: no id\r\n\r\nbody\r\n"
    first, second = append(alice.pk, "INBOX", raw), append(alice.pk, "INBOX", raw)
    threads = Message.objects.filter(pk__in=[first.message_id, second.message_id]).values_list("thread", flat=True)
    assert len(set(threads)) == 2 and all(threads)


def test_a_conversation_opens_as_its_messages_oldest_first(conversations_on, put, inbox):
    put(subject="plan", message_id="<root@x>", minutes=1)
    put(subject="Re: plan", in_reply_to="<root@x>", references="<root@x>", minutes=2)
    thread = Message.objects.filter(folder=inbox).first().thread
    html = conversations_on.get(f"/mail/folder/{inbox.pk}/").content.decode()
    assert f"/mail/folder/{inbox.pk}/thread/{thread}/" in html
    response = conversations_on.get(f"/mail/folder/{inbox.pk}/thread/{thread}/")
    assert [item["row"].subject for item in response.context["items"]] == ["plan", "Re: plan"]


def test_sorting_by_another_column_lists_single_messages(conversations_on, put, inbox):
    put(subject="plan", message_id="<root@x>")
    put(subject="Re: plan", in_reply_to="<root@x>", references="<root@x>")
    response = conversations_on.get(f"/mail/folder/{inbox.pk}/?sort=subject&dir=asc")
    assert [row.subject for row in response.context["page"].rows] == ["plan", "Re: plan"]


def test_walking_the_date_index_and_grouping_the_folder_agree(put, inbox, monkeypatch):
    from mailcore.store import listing

    for n in range(12):
        put(subject=f"root {n}", message_id=f"<t{n}@x>", minutes=n + 1)
    for n in range(0, 12, 3):  # replies revive older conversations
        put(subject=f"Re: root {n}", references=f"<t{n}@x>", minutes=100 + n)
    messages = Message.objects.filter(folder=inbox)
    walked = [listing.conversation_page(messages, True, offset, 5) for offset in (0, 5, 10)]
    monkeypatch.setattr(listing, "WALK_LIMIT", 0)
    grouped = [listing.conversation_page(messages, True, offset, 5) for offset in (0, 5, 10)]
    for by_walk, by_group in zip(walked, grouped, strict=True):
        assert [row.pk for row in by_walk.rows] == [row.pk for row in by_group.rows]
        assert by_walk.counts == by_group.counts
    assert [row.subject for row in walked[0].rows][:4] == ["Re: root 9", "Re: root 6", "Re: root 3", "Re: root 0"]
    assert walked[0].total == 12
