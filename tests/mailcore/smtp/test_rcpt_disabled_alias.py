"""A disabled alias is an unknown address to the MX (issue 16): RCPT TO answers
`550 5.1.1` (RFC 5321 §3.3, RFC 3463 X.1.1 bad destination mailbox), unless the domain's
catch-all takes it as it takes any unknown address; mail accepted before the alias was
disabled is not delivered through it. Over smtplib to a real listener."""
import smtplib

import pytest

from mailcore.delivery.local import deliver_due_local
from mailcore.delivery.models import QueueRecipient
from mailcore.directory.services import create_alias, set_alias_active, set_catch_all
from mailcore.smtp.listeners import FACTORIES
from mailcore.store.models import Message
from tests.support.hosts import running_host

from .conftest import wait_for

RAW = b"From: x@example.net\r\nTo: sales@example.test\r\nSubject: hi\r\n\r\nhello\r\n"


def rcpt(client: smtplib.SMTP, address: str) -> tuple[int, bytes]:
    client.ehlo_or_helo_if_needed()
    client.rset()
    assert client.mail("x@example.net")[0] == 250
    return client.rcpt(address)


def inbox_count(account) -> int:
    return Message.objects.filter(account=account, folder__name="INBOX").count()


def test_rfc5321_a_disabled_alias_is_refused_at_rcpt_like_an_unknown_address(alice, mx):
    create_alias("sales@example.test", ["alice@example.test"])
    assert rcpt(mx, "sales@example.test")[0] == 250
    set_alias_active("sales@example.test", False)
    code, text = rcpt(mx, "sales@example.test")
    assert (code, text) == rcpt(mx, "nobody@example.test")
    assert code == 550 and text.startswith(b"5.1.1 ")
    assert rcpt(mx, "alice@example.test")[0] == 250  # the session goes on


def test_an_alias_enabled_again_takes_mail_at_once(alice, mx):
    create_alias("sales@example.test", ["alice@example.test"], active=False)
    assert rcpt(mx, "sales@example.test")[0] == 550
    set_alias_active("sales@example.test", True)
    mx.rset()
    assert mx.sendmail("x@example.net", ["sales@example.test"], RAW) == {}
    wait_for(lambda: inbox_count(alice) == 1, what="delivery through the alias")


def test_the_catch_all_takes_a_disabled_alias_address(alice, bob, mx):
    create_alias("sales@example.test", ["alice@example.test"])
    set_catch_all("example.test", ["bob@example.test"])
    set_alias_active("sales@example.test", False)
    assert mx.sendmail("x@example.net", ["sales@example.test"], RAW) == {}
    wait_for(lambda: inbox_count(bob) == 1, what="delivery to the catch-all")
    assert inbox_count(alice) == 0


def test_a_disabled_catch_all_refuses_unknown_addresses(alice, mx):
    set_catch_all("example.test", ["alice@example.test"])
    assert rcpt(mx, "anyone@example.test")[0] == 250
    set_alias_active("@example.test", False)
    code, text = rcpt(mx, "anyone@example.test")
    assert code == 550 and text.startswith(b"5.1.1 ")


@pytest.fixture
def mx_without_delivery(settings, tmp_path, transactional_db):
    """The MX listener alone: accepted mail waits in the queue until the test delivers it."""
    settings.HOPTHU_HOSTNAME = "mx.example.test"
    with running_host(settings, tmp_path, FACTORIES, ("smtp", "submission", "submissions", "relay")) as host:
        client = smtplib.SMTP("127.0.0.1", host.ports["smtp"], timeout=10)
        yield client
        client.close()


def test_mail_accepted_before_the_alias_was_disabled_is_not_delivered_through_it(alice, mx_without_delivery):
    create_alias("sales@example.test", ["alice@example.test"])
    assert mx_without_delivery.sendmail("x@example.net", ["sales@example.test"], RAW) == {}
    set_alias_active("sales@example.test", False)
    deliver_due_local()
    recipient = QueueRecipient.objects.get(address="sales@example.test")
    assert recipient.status == QueueRecipient.Status.FAILED and recipient.last_result.startswith("550 5.1.1 ")
    assert inbox_count(alice) == 0
