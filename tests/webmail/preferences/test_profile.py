"""Name and signature: the display name is the directory's (mail clients see it too)."""
import pytest

pytestmark = pytest.mark.django_db


def test_saving_sets_the_display_name_and_signature(alice_client, alice):
    from webmail.models import preferences_for

    response = alice_client.post("/mail/settings/profile/", {"display_name": "Alice Nguyễn",
                                                             "signature": "-- \nAlice"})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.display_name == "Alice Nguyễn"
    assert preferences_for(alice).signature == "-- \nAlice"
    page = alice_client.get("/mail/settings/profile/").content.decode()
    assert 'value="Alice Nguyễn"' in page


def test_a_display_name_with_a_line_break_is_refused_on_its_field(alice_client, alice):
    response = alice_client.post("/mail/settings/profile/", {"display_name": "Alice\r\nBcc: x@example.net",
                                                             "signature": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["display_name"]
    alice.refresh_from_db()
    assert alice.display_name == ""


def test_a_too_long_display_name_is_refused(alice_client):
    response = alice_client.post("/mail/settings/profile/", {"display_name": "x" * 201, "signature": ""})
    assert "display_name" in response.context["form"].errors
