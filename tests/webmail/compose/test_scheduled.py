"""Send later: the time read in the user's zone, the list and Cancel (Edit: test_scheduled_edit.py)."""
import datetime as dt
import zoneinfo

from django.utils import timezone

from mailcore.delivery.models import QueuedMessage, ScheduledMessage
from mailcore.smtp import scheduled
from webmail.models import preferences_for

from .conftest import form, in_folder, queued


def local_input(when, zone):
    return timezone.localtime(when, zoneinfo.ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M")


def send_later(client, when, **fields):
    return client.post("/mail/compose/", form(action="send_later", send_at=when, **fields))


def test_send_later_reads_the_time_in_the_users_zone(alice_client, alice):
    preferences = preferences_for(alice)
    preferences.time_zone = "Asia/Ho_Chi_Minh"
    preferences.save()
    when = (timezone.now() + dt.timedelta(days=1)).replace(second=0, microsecond=0)
    response = send_later(alice_client, local_input(when, "Asia/Ho_Chi_Minh"), to="carol@example.net")
    assert response.url == "/mail/scheduled/"
    row = ScheduledMessage.objects.get()
    assert row.send_at == when and row.recipients == ["carol@example.net"]
    assert not QueuedMessage.objects.exists()
    assert scheduled.send_due(when) == 1
    message, recipients = queued()
    assert message["Subject"] == "Hello"
    assert recipients == {"carol@example.net"}


def test_a_time_in_the_past_is_refused(alice_client, alice):
    when = local_input(timezone.now() - dt.timedelta(minutes=5), "UTC")
    response = send_later(alice_client, when, to="carol@example.net")
    assert list(response.context["form"].errors) == ["send_at"]
    response = send_later(alice_client, "", to="carol@example.net")
    assert list(response.context["form"].errors) == ["send_at"]
    assert not ScheduledMessage.objects.exists()


def schedule_some(client, count):
    when = timezone.now() + dt.timedelta(hours=2)
    for number in range(count):
        send_later(client, local_input(when + dt.timedelta(minutes=number), "UTC"), to="carol@example.net",
                   subject=f"Report {number}")


def test_the_list_shows_time_recipients_and_subject_without_a_query_per_row(
        alice_client, alice, django_assert_max_num_queries):
    schedule_some(alice_client, 3)
    alice_client.get("/mail/scheduled/")  # preferences and folders made on first use
    with django_assert_max_num_queries(14):
        page = alice_client.get("/mail/scheduled/")
    rows = page.context["rows"]
    assert [row["subject"] for row in rows] == ["Report 0", "Report 1", "Report 2"]
    assert rows[0]["recipients"] == ["carol@example.net"]
    schedule_some(alice_client, 30)
    with django_assert_max_num_queries(14):
        page = alice_client.get("/mail/scheduled/")
    assert len(page.context["rows"]) == 25 and page.context["page"].has_next()


def test_cancel_brings_the_message_back_as_a_draft(alice_client, alice):
    schedule_some(alice_client, 1)
    row = ScheduledMessage.objects.get()
    response = alice_client.post(f"/mail/scheduled/{row.pk}/cancel/")
    assert response.url == "/mail/scheduled/"
    assert not ScheduledMessage.objects.exists()
    (draft,) = in_folder(alice, "\\Drafts")
    assert draft.subject == "Report 0" and draft.draft


def test_another_accounts_row_is_not_found(alice_client, alice, bob_client, bob):
    schedule_some(alice_client, 1)
    row = ScheduledMessage.objects.get()
    assert bob_client.post(f"/mail/scheduled/{row.pk}/cancel/").status_code == 404
    assert bob_client.get(f"/mail/scheduled/{row.pk}/edit/").status_code == 404
    assert bob_client.get(f"/mail/scheduled/{row.pk}/status/").status_code == 404
    assert bob_client.get("/mail/scheduled/").context["rows"] == []
    assert ScheduledMessage.objects.filter(pk=row.pk, status="waiting").exists()
