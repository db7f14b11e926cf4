"""The search box (operators, accent-insensitive) and the live-update poll."""
import pytest

pytestmark = pytest.mark.django_db


def subjects(response):
    return [row.subject for row in response.context["page"].rows]


def test_search_is_accent_insensitive_and_sorted_like_the_list(alice_client, put):
    put(subject="Hóa đơn tháng 10", minutes=1)
    put(subject="Hóa đơn tháng 11", minutes=2)
    put(subject="Lunch", minutes=3)
    response = alice_client.get("/mail/search/", {"q": "hoa don"})
    assert subjects(response) == ["Hóa đơn tháng 11", "Hóa đơn tháng 10"]
    ascending = alice_client.get("/mail/search/", {"q": "hoa don", "sort": "date", "dir": "asc"})
    assert subjects(ascending) == ["Hóa đơn tháng 10", "Hóa đơn tháng 11"]


def test_search_operators_narrow_the_results(alice_client, put):
    put(subject="from an", sender="An <an@example.org>")
    put(subject="from binh", sender="Binh <binh@example.org>", flags=["\\Seen"])
    assert subjects(alice_client.get("/mail/search/", {"q": "from:binh"})) == ["from binh"]
    assert subjects(alice_client.get("/mail/search/", {"q": "is:unread"})) == ["from an"]


def test_a_bad_operator_value_is_explained(alice_client):
    response = alice_client.get("/mail/search/", {"q": "larger:lots"})
    assert response.status_code == 200
    assert response.context["error"]
    assert "larger" in response.context["error"]


def test_search_never_shows_another_accounts_mail(bob_client, put):
    put(subject="secret plans")
    assert subjects(bob_client.get("/mail/search/", {"q": "secret"})) == []


def test_poll_reports_the_folder_modseq_and_unread_counts(alice_client, put, inbox):
    first = alice_client.get("/mail/poll/", {"folder": inbox.pk}).json()
    put()
    second = alice_client.get("/mail/poll/", {"folder": inbox.pk}).json()
    assert second["modseq"] > first["modseq"]
    assert second["unread"][str(inbox.pk)] == 1
    assert second["inbox_unread"] == 1


def test_poll_ignores_another_accounts_folder(bob_client, inbox):
    assert bob_client.get("/mail/poll/", {"folder": inbox.pk}).json()["modseq"] is None
