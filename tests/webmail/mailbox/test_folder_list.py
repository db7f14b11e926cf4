"""The message list of a folder: sorted, paged, unread shown, no query per row."""
import pytest

pytestmark = pytest.mark.django_db


def subjects(response):
    return [row.subject for row in response.context["page"].rows]


def test_the_inbox_lists_its_messages_newest_first(alice_client, put, inbox):
    put(subject="old", minutes=1)
    put(subject="new", minutes=2)
    response = alice_client.get(f"/mail/folder/{inbox.pk}/")
    assert response.status_code == 200
    assert subjects(response) == ["new", "old"]


def test_the_webmail_root_opens_the_inbox(alice_client, inbox):
    response = alice_client.get("/mail/")
    assert response["Location"] == f"/mail/folder/{inbox.pk}/"


@pytest.mark.parametrize(("sort", "direction", "expected"), [
    ("date", "asc", ["b-mid", "a-big", "c-small"]),
    ("subject", "asc", ["a-big", "b-mid", "c-small"]),
    ("subject", "desc", ["c-small", "b-mid", "a-big"]),
    ("size", "desc", ["a-big", "b-mid", "c-small"]),
    ("size", "asc", ["c-small", "b-mid", "a-big"]),
    ("from", "asc", ["c-small", "a-big", "b-mid"]),
])
def test_the_list_sorts_by_each_column_both_ways(alice_client, put, inbox, sort, direction, expected):
    put(subject="b-mid", sender="Xuan <x@example.org>", size_pad=500, minutes=1)
    put(subject="a-big", sender="Minh <m@example.org>", size_pad=5000, minutes=2)
    put(subject="c-small", sender="An <a@example.org>", minutes=3)
    response = alice_client.get(f"/mail/folder/{inbox.pk}/?sort={sort}&dir={direction}")
    assert subjects(response) == expected


def test_pages_do_not_overlap_and_cover_the_folder(alice_client, alice, put, inbox):
    from webmail.models import preferences_for

    preferences = preferences_for(alice)
    preferences.page_size = 25
    preferences.save()
    for n in range(60):
        put(subject=f"m{n:02}", minutes=n + 1)
    seen = []
    for page in (1, 2, 3):
        response = alice_client.get(f"/mail/folder/{inbox.pk}/?page={page}")
        seen += subjects(response)
    assert sorted(seen) == [f"m{n:02}" for n in range(60)]
    assert response.context["page"].total == 60


def test_a_page_past_the_end_shows_the_last_messages(alice_client, put, inbox):
    put(subject="only")
    response = alice_client.get(f"/mail/folder/{inbox.pk}/?page=999&sort=bogus&dir=sideways")
    assert subjects(response) == ["only"]


def test_unread_messages_are_marked_and_counted_in_the_sidebar(alice_client, put, inbox):
    put(subject="read one", flags=["\\Seen"])
    put(subject="unread one")
    html = alice_client.get(f"/mail/folder/{inbox.pk}/").content.decode()
    assert html.count('<tr class="unread"') == 1
    assert f'data-unread-for="{inbox.pk}">1<' in html


def count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_list_costs_the_same_queries_for_five_or_fifty_messages(alice_client, put, inbox):
    url = f"/mail/folder/{inbox.pk}/"
    for _n in range(5):
        put(flags=["\\Flagged"])
    alice_client.get(url)  # first visit creates the session record and preferences
    few = count_queries(alice_client, url)
    for _n in range(45):
        put()
    assert count_queries(alice_client, url) == few


def test_another_accounts_folder_is_not_found(bob_client, inbox):
    assert bob_client.get(f"/mail/folder/{inbox.pk}/").status_code == 404


def test_deleted_but_not_expunged_messages_are_shown_struck_through(alice_client, put, inbox):
    put(subject="gone", flags=["\\Deleted"])
    response = alice_client.get(f"/mail/folder/{inbox.pk}/")
    assert subjects(response) == ["gone"]
    assert 'class="unread deleted"' in response.content.decode()


def test_the_fragment_is_the_list_alone_for_live_updates(alice_client, put, inbox):
    put(subject="fresh")
    html = alice_client.get(f"/mail/folder/{inbox.pk}/?fragment=1").content.decode()
    assert "fresh" in html
    assert "<html" not in html
