"""Issue 16 (low): only what is enabled is a sender. An alias that is disabled, an alias at
a disabled domain, or an address at a disabled domain alias is refused as MAIL FROM
(553 5.7.1) and in From (553 5.7.1 at DATA) on submission, and in the webmail; a disabled
account may send as nobody."""
import smtplib

import pytest
from django.core.exceptions import ValidationError

from mailcore.delivery.models import QueuedMessage
from mailcore.directory.models import DomainAlias
from mailcore.directory.services import create_alias, create_domain_alias, update_domain
from mailcore.smtp import submission as submission_rules
from tests.conftest import PASSWORD


def raw_from(sender: str) -> bytes:
    return f"From: {sender}\r\nTo: carol@example.com\r\nSubject: hi\r\n\r\nhello\r\n".encode()


def assert_refused_as_sender(client, sender: str):
    with pytest.raises(smtplib.SMTPSenderRefused) as refused:
        client.sendmail(sender, ["carol@example.com"], raw_from(sender))
    assert refused.value.smtp_code == 553 and refused.value.smtp_error.startswith(b"5.7.1 ")
    with pytest.raises(smtplib.SMTPDataError) as refused:  # the envelope is hers, the From is not
        client.sendmail("alice@example.test", ["carol@example.com"], raw_from(sender))
    assert refused.value.smtp_code == 553 and refused.value.smtp_error.startswith(b"5.7.1 ")
    assert not QueuedMessage.objects.exists()


def test_a_disabled_alias_is_not_a_sender(alice, submission):
    create_alias("sales@example.test", ["alice@example.test"], active=False)
    submission.login("alice@example.test", PASSWORD)
    assert_refused_as_sender(submission, "sales@example.test")
    assert submission.sendmail("alice@example.test", ["carol@example.com"], raw_from("alice@example.test")) == {}


def test_an_alias_at_a_domain_disabled_since_is_not_a_sender(alice, charlie, submission):
    create_alias("info@example.org", ["alice@example.test"])
    submission.login("alice@example.test", PASSWORD)
    assert submission.sendmail("info@example.org", ["carol@example.com"], raw_from("info@example.org")) == {}
    QueuedMessage.objects.all().delete()
    update_domain("example.org", active=False)
    assert_refused_as_sender(submission, "info@example.org")


def test_an_alias_at_a_disabled_domain_alias_is_not_a_sender(alice, submission):
    create_alias("sales@example.test", ["alice@example.test"])
    create_domain_alias("example.net", "example.test")
    submission.login("alice@example.test", PASSWORD)
    assert submission.sendmail("sales@example.net", ["carol@example.com"], raw_from("sales@example.net")) == {}
    QueuedMessage.objects.all().delete()
    DomainAlias.objects.filter(name="example.net").update(active=False)
    assert_refused_as_sender(submission, "sales@example.net")


def test_the_webmail_refuses_the_same_senders(alice, charlie):
    create_alias("info@example.org", ["alice@example.test"])
    update_domain("example.org", active=False)
    with pytest.raises(ValidationError) as refused:
        submission_rules.submit(alice, raw_from("info@example.org"), ["carol@example.com"])
    assert "info@example.org" in refused.value.message_dict["from"][0]


def test_a_disabled_account_may_send_as_nobody(alice):
    create_alias("sales@example.test", ["alice@example.test"])
    update_domain("example.test", active=False)
    for sender in ("alice@example.test", "sales@example.test"):
        with pytest.raises(ValidationError) as refused:
            submission_rules.submit(alice, raw_from(sender), ["carol@example.com"])
        assert "from" in refused.value.message_dict
