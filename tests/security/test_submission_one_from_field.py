"""Issue 16 (low): RFC 5322 §3.6 allows exactly one From field. A message with two, or with
an mbox "From " line inside its header, shows a different sender to different readers, so
submission refuses it with 550 5.6.0 naming the problem, and the session goes on."""
import smtplib

import pytest
from django.core.exceptions import ValidationError

from mailcore.delivery.models import QueuedMessage
from mailcore.directory.services import create_alias
from mailcore.smtp import submission as submission_rules
from tests.conftest import PASSWORD

GOOD = b"From: alice@example.test\r\nTo: carol@example.net\r\nSubject: hi\r\n\r\nhello\r\n"


def send(client, raw: bytes, mail_from="alice@example.test"):
    return client.sendmail(mail_from, ["carol@example.net"], raw)


def refusal(client, raw: bytes) -> smtplib.SMTPDataError:
    with pytest.raises(smtplib.SMTPDataError) as refused:
        send(client, raw)
    return refused.value


def test_two_from_fields_are_refused_even_when_both_are_the_senders_own(alice, submission):
    create_alias("sales@example.test", ["alice@example.test"])
    submission.login("alice@example.test", PASSWORD)
    raw = b"From: alice@example.test\r\nFrom: sales@example.test\r\nTo: carol@example.net\r\n\r\nhi\r\n"
    error = refusal(submission, raw)
    assert error.smtp_code == 550
    assert error.smtp_error.startswith(b"5.6.0 ") and b"more than one From header field" in error.smtp_error
    assert not QueuedMessage.objects.exists()


@pytest.mark.parametrize("second", [b"FROM: ceo@bank.test", b"from:ceo@bank.test", b"From : ceo@bank.test",
                                    b"From\t: ceo@bank.test"])
def test_every_spelling_of_a_second_from_field_counts(alice, submission, second):
    submission.login("alice@example.test", PASSWORD)
    raw = b"From: alice@example.test\r\nSubject: x\r\n" + second + b"\r\nTo: carol@example.net\r\n\r\nhi\r\n"
    assert b"more than one From" in refusal(submission, raw).smtp_error


@pytest.mark.parametrize("raw", [
    b"From: alice@example.test\r\nFrom ceo@bank.test Mon Jan  1 00:00:00 2024\r\nTo: carol@example.net\r\n\r\nhi\r\n",
    b"From ceo@bank.test Mon Jan  1 00:00:00 2024\r\nFrom: alice@example.test\r\nTo: carol@example.net\r\n\r\nhi\r\n",
], ids=["inside", "first-line"])
def test_an_mbox_from_line_in_the_header_is_refused(alice, submission, raw):
    submission.login("alice@example.test", PASSWORD)
    error = refusal(submission, raw)
    assert error.smtp_code == 550
    assert error.smtp_error.startswith(b"5.6.0 ") and b'mbox "From " line' in error.smtp_error
    assert not QueuedMessage.objects.exists()


def test_the_session_goes_on_and_a_good_message_is_sent_after_a_refusal(alice, submission):
    submission.login("alice@example.test", PASSWORD)
    refusal(submission, GOOD.replace(b"To:", b"From: alice@example.test\r\nTo:"))
    assert send(submission, GOOD) == {}
    assert QueuedMessage.objects.count() == 1


def test_from_at_the_start_of_a_body_line_or_a_folded_line_is_no_field(alice, submission):
    submission.login("alice@example.test", PASSWORD)
    folded = b"From: alice@example.test\r\nSubject: a long\r\n From here on\r\nTo: carol@example.net\r\n\r\n"
    assert send(submission, folded + b"From the body, which mbox would quote.\r\n") == {}
    assert QueuedMessage.objects.count() == 1


def test_the_webmail_gets_the_same_rule_on_its_from_field(alice):
    with pytest.raises(ValidationError) as refused:
        submission_rules.submit(alice, GOOD.replace(b"To:", b"From: alice@example.test\r\nTo:"),
                                ["carol@example.net"])
    assert "more than one From header field" in refused.value.message_dict["from"][0]
