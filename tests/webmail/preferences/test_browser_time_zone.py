"""The time zone defaults to the browser's: the page's script reports it, it is kept in
the account's settings (in the session for an admin without a mailbox) and used while
the user has not chosen one; a zone chosen in Settings wins."""
import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mailcore.delivery.models import ScheduledMessage
from webmail.models import preferences_for

URL = reverse("webmail:browser_time_zone")


def zone_in_force(client, path="/mail/settings/display/"):
    response = client.get(path)
    return response.wsgi_request.time_zone, response


def test_the_page_tells_its_script_where_to_report_and_what_is_known(alice_client, alice):
    _zone, page = zone_in_force(alice_client, "/mail/")
    page = alice_client.get(page.url) if page.status_code == 302 else page
    html = page.content.decode()
    assert f'data-time-zone-url="{URL}"' in html and 'data-browser-time-zone=""' in html
    assert "/static/time-zone.js" in html


def test_the_browsers_zone_is_kept_and_used_until_the_user_chooses_one(alice_client, alice):
    answer = alice_client.post(URL, {"zone": "Asia/Ho_Chi_Minh"})
    assert answer.json() == {"zone": "Asia/Ho_Chi_Minh", "changed": True}
    assert preferences_for(alice).browser_time_zone == "Asia/Ho_Chi_Minh"
    assert preferences_for(alice).time_zone == ""  # not a choice the user made
    zone, page = zone_in_force(alice_client)
    assert (zone.name, zone.chosen) == ("Asia/Ho_Chi_Minh", False)
    assert "Your browser&#x27;s time zone (Asia/Ho_Chi_Minh)" in page.content.decode()
    assert 'data-browser-time-zone="Asia/Ho_Chi_Minh"' in page.content.decode()
    # Reported again unchanged: nothing to show again.
    assert alice_client.post(URL, {"zone": "Asia/Ho_Chi_Minh"}).json()["changed"] is False


def test_times_are_shown_and_read_in_the_browsers_zone(alice_client, alice):
    alice_client.post(URL, {"zone": "Asia/Ho_Chi_Minh"})
    when = (timezone.now() + dt.timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    local = timezone.localtime(when, timezone.get_fixed_timezone(7 * 60))
    alice_client.post("/mail/compose/", {"from_address": "alice@example.test", "to": "carol@example.net",
                                         "subject": "Hi", "body": "x", "action": "send_later",
                                         "send_at": local.strftime("%Y-%m-%dT%H:%M")})
    assert ScheduledMessage.objects.get().send_at == when  # the form read 07:00 as Ho Chi Minh time
    assert local.strftime("%Y-%m-%d %H:%M") in alice_client.get("/mail/scheduled/").content.decode()


def test_a_zone_chosen_in_settings_wins_over_the_browsers(alice_client, alice):
    preferences = preferences_for(alice)
    preferences.time_zone = "Europe/Paris"
    preferences.save()
    assert alice_client.post(URL, {"zone": "Asia/Ho_Chi_Minh"}).json() == {"zone": "Europe/Paris", "changed": False}
    zone, _page = zone_in_force(alice_client)
    assert (zone.name, zone.chosen, zone.browser) == ("Europe/Paris", True, "Asia/Ho_Chi_Minh")


def test_choosing_automatic_again_follows_the_browser(alice_client, alice):
    alice_client.post(URL, {"zone": "Asia/Ho_Chi_Minh"})
    form = {"language": "", "time_zone": "Europe/Paris", "page_size": "50", "undo_send_seconds": "10"}
    alice_client.post("/mail/settings/display/", form)
    assert zone_in_force(alice_client)[0].name == "Europe/Paris"
    alice_client.post("/mail/settings/display/", {**form, "time_zone": ""})
    assert zone_in_force(alice_client)[0].name == "Asia/Ho_Chi_Minh"


def test_a_zone_the_server_does_not_know_is_refused(alice_client, alice):
    for bad in ("Mars/Olympus_Mons", "", "x" * 100, "../../etc/passwd", "UTC\x00", "Asia/Ho Chi Minh"):
        assert alice_client.post(URL, {"zone": bad}).status_code == 400
    assert preferences_for(alice).browser_time_zone == ""


def test_only_a_signed_in_user_may_report_and_only_by_post(alice_client, db):
    assert Client().post(URL, {"zone": "Asia/Ho_Chi_Minh"}).status_code == 403
    assert alice_client.get(URL).status_code == 405


def test_an_admin_without_a_mailbox_keeps_it_in_the_session(db):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", password="x" * 12)
    client = Client()
    client.force_login(admin)
    assert client.post(URL, {"zone": "Asia/Ho_Chi_Minh"}).json()["changed"] is True
    response = client.get("/panel/")
    assert response.wsgi_request.time_zone.name == "Asia/Ho_Chi_Minh"
    assert 'data-browser-time-zone="Asia/Ho_Chi_Minh"' in response.content.decode()
    other = Client()  # another browser of the same admin: its own report
    other.force_login(admin)
    assert other.get("/panel/").wsgi_request.time_zone.name == ""


def test_a_browser_in_the_servers_zone_needs_no_second_showing(alice_client, alice, settings):
    settings.TIME_ZONE = "UTC"
    assert alice_client.post(URL, {"zone": "UTC"}).json() == {"zone": "UTC", "changed": False}
    assert preferences_for(alice).browser_time_zone == "UTC"
