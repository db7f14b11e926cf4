"""Newer (k) and older (j) links follow the folder's date order."""
from datetime import UTC, datetime, timedelta

from django.urls import reverse

from tests.webmail.reading.mails import message, put

DAY = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def links(client, folder_id, uid):
    html = client.get(reverse("webmail:message", args=[folder_id, uid])).content.decode()
    found = {}
    for key in ("k", "j"):
        marker = f'data-shortcut="{key}" href="'
        if marker in html:
            found[key] = html.split(marker, 1)[1].split('"', 1)[0]
    return found


def test_links_go_to_the_next_newer_and_older_message_by_date_not_uid(alice_client, alice):
    # Appended out of date order: UIDs and dates disagree.
    middle = put(alice, message(subject="middle", text="m"), internal_date=DAY)
    newest = put(alice, message(subject="newest", text="n"), internal_date=DAY + timedelta(days=2))
    oldest = put(alice, message(subject="oldest", text="o"), internal_date=DAY - timedelta(days=2))
    put(alice, message(subject="elsewhere", text="x"), folder="Sent",
        internal_date=DAY + timedelta(days=1))  # another folder: never a neighbour
    found = links(alice_client, *middle)
    assert found == {"k": reverse("webmail:message", args=newest),
                     "j": reverse("webmail:message", args=oldest)}


def test_the_newest_has_no_newer_and_the_oldest_no_older(alice_client, alice):
    first = put(alice, message(text="1"), internal_date=DAY)
    second = put(alice, message(text="2"), internal_date=DAY + timedelta(hours=1))
    assert list(links(alice_client, *second)) == ["j"]
    assert list(links(alice_client, *first)) == ["k"]


def test_messages_with_the_same_date_are_ordered_by_uid(alice_client, alice):
    first = put(alice, message(text="1"), internal_date=DAY)
    second = put(alice, message(text="2"), internal_date=DAY)
    assert links(alice_client, *first) == {"k": reverse("webmail:message", args=second)}
