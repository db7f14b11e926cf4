"""The delivery log: every recipient with its message, filtered, scoped to the admin's domains."""
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from mailcore.delivery.models import QueuedMessage, QueueRecipient
from tests.panel.activity_rows import queued

URL = reverse("panel:delivery_log")


def addresses(response) -> list[str]:
    return [row.address for row in response.context["listing"].objects]


def test_it_shows_time_from_to_status_reply_and_message_id(super_client, alice):
    row = queued("alice@example.test", message_id="abc.1@example.net")
    QueueRecipient.objects.filter(pk=row.pk).update(status="delivered", last_result="250 2.0.0 delivered")
    page = super_client.get(URL).content.decode()
    for text in ("someone@example.net", "alice@example.test", "250 2.0.0 delivered", "&lt;abc.1@example.net&gt;"):
        assert text in page


def test_a_domain_admin_sees_only_mail_of_their_domains(owner_client, alice, charlie):
    queued("alice@example.test")
    queued("charlie@example.org")
    # Sent by charlie through submission to a stranger: example.org's mail, not example.test's.
    queued("x@example.net", sender="charlie@example.org", source="submission", account=charlie)
    # Sent by alice: hers, though the recipient is elsewhere.
    queued("y@example.net", sender="alice@example.test", source="submission", account=alice)
    assert sorted(addresses(owner_client.get(URL))) == ["alice@example.test", "y@example.net"]


def test_a_forged_sender_over_mx_does_not_show_another_domains_mail(owner_client, charlie):
    queued("charlie@example.org", sender="spoof@example.test", source="mx")
    assert addresses(owner_client.get(URL)) == []


def test_a_superadmin_sees_every_domain(super_client, alice, charlie):
    queued("alice@example.test")
    queued("charlie@example.org")
    assert sorted(addresses(super_client.get(URL))) == ["alice@example.test", "charlie@example.org"]


def test_it_filters_by_status_direction_and_domain(super_client, alice, charlie):
    delivered = queued("alice@example.test")
    QueueRecipient.objects.filter(pk=delivered.pk).update(status="delivered")
    queued("charlie@example.org")
    queued("far@example.net", sender="alice@example.test", source="submission", account=alice)
    queued("bob@example.test", sender="alice@example.test", source="webmail", account=alice)
    assert addresses(super_client.get(URL, {"status": "delivered"})) == ["alice@example.test"]
    assert addresses(super_client.get(URL, {"direction": "out"})) == ["far@example.net"]
    assert addresses(super_client.get(URL, {"direction": "local"})) == ["bob@example.test"]
    assert sorted(addresses(super_client.get(URL, {"direction": "in"}))) == ["alice@example.test",
                                                                            "charlie@example.org"]
    assert addresses(super_client.get(URL, {"domain": "example.org"})) == ["charlie@example.org"]


def test_a_domain_admin_cannot_filter_on_another_domain(owner_client, charlie):
    queued("charlie@example.org")
    response = owner_client.get(URL, {"domain": "example.org"})
    assert "domain" in response.context["form"].errors
    assert addresses(response) == []


def test_it_filters_by_date_range(super_client, alice):
    old = queued("alice@example.test", message_id="old@example.net")
    QueuedMessage.objects.filter(pk=old.message_id).update(received_at=timezone.now() - timedelta(days=10))
    queued("alice@example.test", message_id="new@example.net")
    today = timezone.localdate()
    response = super_client.get(URL, {"date_from": str(today - timedelta(days=1))})
    assert [row.message.message_id for row in response.context["listing"].objects] == ["<new@example.net>"]
    response = super_client.get(URL, {"date_to": str(today - timedelta(days=5))})
    assert [row.message.message_id for row in response.context["listing"].objects] == ["<old@example.net>"]


def test_a_reversed_date_range_is_an_error_on_the_end_date(super_client, alice):
    response = super_client.get(URL, {"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert response.context["form"].errors["date_to"] == ["The end date is before the start date."]


def test_it_searches_by_address_and_message_id(super_client, alice, bob):
    queued("alice@example.test", message_id="needle.42@example.net")
    queued("bob@example.test", message_id="hay@example.net")
    assert addresses(super_client.get(URL, {"q": "needle.42"})) == ["alice@example.test"]
    assert addresses(super_client.get(URL, {"q": "bob@"})) == ["bob@example.test"]


def test_it_sorts_by_recipient(super_client, alice, bob):
    queued("bob@example.test")
    queued("alice@example.test")
    assert addresses(super_client.get(URL, {"sort": "to"})) == ["alice@example.test", "bob@example.test"]
    assert addresses(super_client.get(URL, {"sort": "-to"})) == ["bob@example.test", "alice@example.test"]


def test_the_page_costs_the_same_queries_for_many_rows(owner_client, alice, django_assert_max_num_queries):
    for number in range(30):
        queued("alice@example.test", message_id=f"{number}@example.net")
    # About 15 queries whatever the page holds (session, grants, count, one page): 30 rows
    # fetched one message at a time would be 45.
    with django_assert_max_num_queries(16):
        response = owner_client.get(URL)
    assert len(response.context["listing"].objects) == 30


def test_the_domain_filter_includes_its_domain_aliases(owner_client, alice):
    from mailcore.directory.services import create_domain_alias

    create_domain_alias("example.vn", "example.test")
    queued("alice@example.vn")
    assert addresses(owner_client.get(URL, {"domain": "example.test"})) == ["alice@example.vn"]
