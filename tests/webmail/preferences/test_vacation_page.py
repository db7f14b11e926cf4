"""The vacation reply page edits the account's VacationReply (mailcore.delivery)."""
import datetime

import pytest

pytestmark = pytest.mark.django_db

VALID = {"enabled": "on", "subject": "Away until Monday", "body": "I am away, back on the 10th.",
         "start_date": "2026-12-01", "end_date": "2026-12-10", "interval_days": "3"}


def test_saving_turns_the_reply_on(alice_client, alice):
    from mailcore.delivery.models import VacationReply

    assert alice_client.post("/mail/settings/vacation/", VALID).status_code == 302
    vacation = VacationReply.objects.get(account=alice)
    assert vacation.enabled and vacation.interval_days == 3
    assert (vacation.start_date, vacation.end_date) == (datetime.date(2026, 12, 1), datetime.date(2026, 12, 10))
    assert "Away until Monday" in alice_client.get("/mail/settings/vacation/").content.decode()


@pytest.mark.parametrize(("change", "field"), [
    ({"end_date": "2026-11-30"}, "end_date"),
    ({"body": "  "}, "body"),
    ({"interval_days": "0"}, "interval_days"),
    ({"interval_days": "400"}, "interval_days"),
    ({"start_date": "someday"}, "start_date"),
    ({"subject": "Away\rBcc: x@example.net"}, "subject"),
])
def test_bad_input_is_refused_on_its_field(alice_client, alice, change, field):
    from mailcore.delivery.models import VacationReply

    response = alice_client.post("/mail/settings/vacation/", {**VALID, **change})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not VacationReply.objects.filter(account=alice).exists()


def test_each_account_edits_its_own(alice_client, bob_client, alice, bob):
    from mailcore.delivery.models import VacationReply

    alice_client.post("/mail/settings/vacation/", VALID)
    assert "Away until Monday" not in bob_client.get("/mail/settings/vacation/").content.decode()
    bob_client.post("/mail/settings/vacation/", {**VALID, "enabled": "", "subject": "Bob"})
    assert VacationReply.objects.get(account=alice).subject == "Away until Monday"
    assert not VacationReply.objects.get(account=bob).enabled
