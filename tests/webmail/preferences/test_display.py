"""Language and display: the webmail's own Preferences, and the language cookie."""
import pytest

pytestmark = pytest.mark.django_db

VALID = {"language": "", "time_zone": "Asia/Ho_Chi_Minh", "page_size": "100", "conversations": "on",
         "remote_content": "", "undo_send_seconds": "5"}


def test_saving_stores_the_preferences(alice_client, alice):
    from webmail.models import preferences_for

    response = alice_client.post("/mail/settings/display/", VALID)
    assert response.status_code == 302
    preferences = preferences_for(alice)
    assert (preferences.time_zone, preferences.page_size, preferences.conversations,
            preferences.remote_content, preferences.undo_send_seconds) == ("Asia/Ho_Chi_Minh", 100, True, False, 5)


@pytest.mark.parametrize(("field", "value"), [("time_zone", "Mars/Olympus"), ("page_size", "7"),
                                              ("undo_send_seconds", "31"), ("language", "fr")])
def test_bad_values_are_refused_on_their_field(alice_client, alice, field, value):
    from webmail.models import preferences_for

    response = alice_client.post("/mail/settings/display/", {**VALID, field: value})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert preferences_for(alice).time_zone == ""


def test_choosing_vietnamese_renders_the_pages_in_vietnamese(alice_client):
    response = alice_client.post("/mail/settings/display/", {**VALID, "language": "vi"})
    assert response.cookies["django_language"].value == "vi"
    page = alice_client.get("/mail/settings/")
    assert '<html lang="vi">' in page.content.decode()
    assert page["Content-Language"] == "vi"


def test_the_sign_in_page_follows_the_language_after_sign_out(alice_client):
    alice_client.post("/mail/settings/display/", {**VALID, "language": "vi"})
    alice_client.post("/accounts/logout/")
    page = alice_client.get("/accounts/login/")
    assert '<html lang="vi">' in page.content.decode()


def test_back_to_the_browser_language_forgets_the_cookie(alice_client):
    alice_client.post("/mail/settings/display/", {**VALID, "language": "vi"})
    response = alice_client.post("/mail/settings/display/", VALID)
    assert response.cookies["django_language"].value == ""
    assert '<html lang="en">' in alice_client.get("/mail/settings/").content.decode()


def test_the_time_zone_list_holds_every_zone(alice_client):
    html = alice_client.get("/mail/settings/display/").content.decode()
    assert '<option value="Asia/Ho_Chi_Minh">' in html and '<option value="America/New_York">' in html
