"""The scan through the real MX: headers on clean mail, Junk for spam, 554 for the worst."""

from mailcore.delivery.models import QueuedMessage
from mailcore.filters.models import FilterPolicy
from mailcore.stats import pending
from mailcore.stats.models import DailyCount
from mailcore.store.fetch import fetch_raw
from mailcore.store.models import Message
from tests.mailcore.smtp.conftest import wait_for

from .conftest import clean_message, crlf, send_raw, spammy_message


def delivered(account):
    return wait_for(lambda: Message.objects.filter(account=account).select_related("folder").first(),
                    what="delivery")


def test_a_clean_message_is_marked_not_spam_and_lands_in_the_inbox(alice, mail_host):
    _replies, (code, _text) = send_raw(mail_host.ports["smtp"], clean_message().as_bytes())
    assert code == 250
    message = delivered(alice)
    raw = fetch_raw(message)
    assert message.folder.name == "INBOX"
    assert b"X-Spam-Status: No, score=0.0 required=5.0\r\n\ttests=none\r\n" in raw
    assert b"X-Spam-Flag" not in raw
    assert QueuedMessage.objects.get().spam_score == 0


def test_a_spammy_message_lands_in_junk_flagged_and_counted(alice, mail_host):
    _replies, (code, text) = send_raw(mail_host.ports["smtp"], spammy_message())
    assert code == 250, text
    message = delivered(alice)
    raw = fetch_raw(message)
    assert message.folder.name == "Junk"
    assert b"X-Spam-Flag: YES\r\n" in raw
    status = raw[raw.index(b"X-Spam-Status:"):].split(b"\r\n\r\n")[0]
    for rule in (b"FORGED_HOSTED_FROM", b"MISSING_DATE", b"MISSING_MESSAGE_ID", b"HTML_HIDDEN_TEXT",
                 b"LINK_TEXT_MISMATCH"):
        assert rule in status
    queued = QueuedMessage.objects.get()
    assert queued.spam_score >= 6
    assert {finding["rule"] for finding in queued.spam_report["findings"]} >= {"FORGED_HOSTED_FROM", "MISSING_DATE"}
    wait_for(lambda: DailyCount.objects.filter(domain="example.test", kind="spam", count=1).exists(),
             what="the spam count")


def test_each_domain_sorts_by_its_own_junk_score(alice, charlie, mail_host):
    FilterPolicy.objects.create(domain=charlie.domain, junk_score=50, reject_score=0)
    _replies, (code, _text) = send_raw(mail_host.ports["smtp"], spammy_message(), recipients=(
        "alice@example.test", "charlie@example.org"))
    assert code == 250
    assert delivered(alice).folder.name == "Junk"
    assert delivered(charlie).folder.name == "INBOX"


def test_a_very_high_score_is_refused_and_the_session_goes_on(alice, mail_host):
    import smtplib

    with smtplib.SMTP("127.0.0.1", mail_host.ports["smtp"], timeout=10) as client:
        client.ehlo("mx.example.test")  # claims to be us: with the spammy signs, past 15 points
        client.mail("bob@example.net")
        client.rcpt("alice@example.test")
        code, text = client.data(spammy_message())
        assert code == 554 and text.startswith(b"5.7.1 Message refused as spam")
        client.mail("bob@example.net")
        client.rcpt("alice@example.test")
        assert client.data(crlf(clean_message().as_bytes()))[0] == 250
    message = delivered(alice)
    assert message.subject == "Lunch on Friday?"
    pending.flush()
    assert DailyCount.objects.get(domain="example.test", kind="spam").count == 1


def test_x_spam_fields_from_the_sender_are_stripped(alice, mail_host):
    forged = b"X-Spam-Status: No, score=-100\r\nX-Spam-Flag: NO\r\nX-SPAM-Score:\r\n -100\r\n"
    _replies, (code, _text) = send_raw(mail_host.ports["smtp"], forged + clean_message().as_bytes())
    assert code == 250
    raw = fetch_raw(delivered(alice))
    assert b"-100" not in raw and b"X-Spam-Flag: NO" not in raw
    assert raw.count(b"X-Spam-Status:") == 1


def test_a_listed_client_is_scored_by_the_block_list(alice, mail_host, settings, dns_server):
    settings.HOPTHU_DNSBL_ZONES = "bl.example:7"
    dns_server.add("1.0.0.127.bl.example", "A", "127.0.0.2")
    _replies, (code, _text) = send_raw(mail_host.ports["smtp"], clean_message().as_bytes())
    assert code == 250
    message = delivered(alice)
    assert message.folder.name == "Junk"
    assert b"DNSBL:bl.example" in fetch_raw(message)
