"""Who gets a vacation reply (RFC 3834 §2, RFC 5230 §4): each rule alone."""
import datetime

import pytest
from django.utils import timezone

from mailcore.delivery import vacation
from mailcore.delivery.trace import parsed_header
from tests.mailcore.vacation.conftest import message

pytestmark = pytest.mark.django_db


def refusal(away, raw, mail_from="carol@example.net"):
    return vacation.refusal(away, parsed_header(raw), mail_from, timezone.now())


def test_a_person_writing_to_the_account_gets_a_reply(away):
    assert refusal(away, message()) == ""
    assert refusal(away, message(to="Alice Nguyen <alice@example.test>, Bob <bob@example.net>")) == ""


def test_the_account_named_in_cc_counts(away):
    assert refusal(away, message("Cc: Alice <ALICE@example.test>", to="team@example.net")) == ""


def test_mail_not_addressed_to_the_account_gets_none(away):
    assert refusal(away, message(to="team@example.net")) == "not addressed to the account"


def test_an_alias_of_the_account_counts_but_a_catch_all_does_not(away, bob):
    from mailcore.directory.services import create_alias

    create_alias("sales@example.test", ["alice@example.test", "bob@example.test"])
    create_alias("@example.test", ["alice@example.test"])
    assert refusal(away, message(to="sales@example.test")) == ""
    assert refusal(away, message(to="whoever@example.test")) == "not addressed to the account"


def test_the_address_at_a_domain_alias_counts(away):
    from mailcore.directory.services import create_domain_alias

    create_domain_alias("example.vn", "example.test")
    assert refusal(away, message(to="alice@example.vn")) == ""


def test_the_null_sender_gets_none(away):
    assert refusal(away, message(), mail_from="") == "null sender"


@pytest.mark.parametrize("value", ["auto-generated", "auto-replied", "auto-notified; owner-email=x@example.net",
                                   "Auto-Replied"])
def test_automatic_messages_get_none(away, value):
    assert refusal(away, message(f"Auto-Submitted: {value}")) == "automatic message"


def test_auto_submitted_no_is_a_person(away):
    assert refusal(away, message("Auto-Submitted: no")) == ""


def test_outlook_asking_for_no_out_of_office_gets_none(away):
    assert refusal(away, message("X-Auto-Response-Suppress: OOF, AutoReply")) == "automatic message"


@pytest.mark.parametrize("field", ["List-Id: <lunch.example.net>", "List-Unsubscribe: <mailto:u@example.net>",
                                   "List-Post: <mailto:l@example.net>", "Precedence: bulk", "Precedence: junk",
                                   "Precedence: List"])
def test_lists_and_bulk_mail_get_none(away, field):
    assert refusal(away, message(field)) == "list or bulk mail"


@pytest.mark.parametrize("sender", ["no-reply@example.net", "NoReply@example.net", "MAILER-DAEMON@example.net",
                                    "postmaster@example.net", "owner-lunch@example.net", "lunch-request@example.net",
                                    "donotreply@example.net"])
def test_robot_senders_get_none(away, sender):
    assert refusal(away, message(), mail_from=sender) == "robot sender"
    assert refusal(away, message(sender=sender)) == "robot sender"  # the From alone is enough


def test_the_account_itself_and_its_aliases_get_none(away):
    from mailcore.directory.services import create_alias

    create_alias("me@example.test", ["alice@example.test"])
    assert refusal(away, message(sender="alice@example.test"), mail_from="alice@example.test") \
        == "sent by the account itself"
    assert refusal(away, message(sender="me@example.test"), mail_from="me@example.test") \
        == "sent by the account itself"


def test_only_between_the_first_and_last_day(away):
    today = timezone.localdate()
    away.start_date = today + datetime.timedelta(days=1)
    assert refusal(away, message()) == "outside the dates"
    away.start_date, away.end_date = today - datetime.timedelta(days=5), today - datetime.timedelta(days=1)
    assert refusal(away, message()) == "outside the dates"
    away.end_date = today
    assert refusal(away, message()) == ""


def test_nothing_when_off(away):
    away.enabled = False
    assert refusal(away, message()) == "off"


def test_an_unparsable_sender_gets_none(away):
    assert refusal(away, message(), mail_from="no at sign") == "unparsable sender"
