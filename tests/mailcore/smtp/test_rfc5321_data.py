"""RFC 5321 MUSTs of a receiving server about mail data: transparency, the size minimums,
trace fields and what an MX must not change, over the MX port with smtplib."""
import email
import email.policy
from email.utils import parsedate_to_datetime

import pytest

from mailcore.delivery.models import QueuedMessage, QueueRecipient
from mailcore.directory.services import create_account, create_alias
from mailcore.smtp import handler
from mailcore.store.fetch import fetch_raw
from mailcore.store.models import Message

from .conftest import PASSWORD, wait_for


def delivered(account):
    return fetch_raw(wait_for(lambda: Message.objects.filter(account=account).first(), what="delivery"))


def body_of(raw: bytes) -> bytes:
    header_end = raw.index(b"\r\n\r\n") + 4
    return raw[header_end:]


def test_rfc5321_4_5_2_leading_dots_are_unstuffed(alice, mx):
    text = "Subject: dots\r\n\r\n.hidden\r\n..two\r\n.\r\nlast\r\n"  # smtplib stuffs each leading dot
    mx.sendmail("bob@example.net", ["alice@example.test"], text)
    assert body_of(delivered(alice)) == b".hidden\r\n..two\r\n.\r\nlast\r\n"


def test_rfc5321_4_1_1_4_no_line_is_added_or_lost_at_the_end(alice, mx):
    mx.sendmail("bob@example.net", ["alice@example.test"], "Subject: end\r\n\r\nno blank line after me\r\n")
    assert body_of(delivered(alice)) == b"no blank line after me\r\n"


def test_rfc5321_4_5_3_1_1_a_64_octet_local_part_is_accepted(domain, mx):
    localpart = "a" * 64
    account = create_account(f"{localpart}@example.test", PASSWORD)
    mx.ehlo("client.example.net")
    assert mx.mail(f"{'b' * 64}@example.net")[0] == 250
    assert mx.rcpt(f"{localpart}@example.test")[0] == 250
    assert mx.data("Subject: long\r\n\r\nx\r\n")[0] == 250
    assert delivered(account)


def test_rfc5321_4_5_3_1_3_a_256_octet_path_is_accepted(alice, mx):
    domain = ".".join(["d" * 60] * 3) + ".example.net"  # 195 octets: 254 with the local part and "@"
    sender = f"{'s' * (254 - 1 - len(domain))}@{domain}"
    assert len(f"<{sender}>") == 256
    mx.ehlo("client.example.net")
    assert mx.mail(sender)[0] == 250
    assert mx.rcpt("alice@example.test")[0] == 250


def test_rfc5321_4_5_3_1_4_a_512_octet_command_line_is_accepted(alice, mx):
    mx.ehlo("client.example.net")
    line = f"MAIL FROM:<{'s' * 64}@{'d' * 60}.example.net> BODY=8BITMIME SIZE="
    line += "1".rjust(510 - len(line), "0")  # leading zeros: still SIZE=1
    assert len(line) + 2 == 512
    assert mx.docmd(line)[0] == 250
    assert mx.rcpt("alice@example.test")[0] == 250


def test_rfc5321_4_5_3_1_6_a_1000_octet_text_line_is_kept_whole(alice, mx):
    line = "x" * 998
    mx.sendmail("bob@example.net", ["alice@example.test"], f"Subject: wide\r\n\r\n{line}\r\n")
    assert body_of(delivered(alice)) == line.encode() + b"\r\n"


def test_rfc5321_4_5_3_1_7_a_64k_message_is_accepted(alice, mx):
    body = ("0123456789" * 7 + "\r\n") * 1000  # 72,000 octets
    mx.sendmail("bob@example.net", ["alice@example.test"], f"Subject: big\r\n\r\n{body}")
    assert body_of(delivered(alice)) == body.encode()


def test_rfc5321_4_5_3_1_8_one_hundred_recipients_are_buffered(alice, mx):
    create_alias("@example.test", ["alice@example.test"])
    recipients = [f"r{number}@example.test" for number in range(100)]
    assert mx.sendmail("bob@example.net", recipients, "Subject: many\r\n\r\nx\r\n") == {}
    assert QueueRecipient.objects.count() == 100


def test_rfc5321_4_5_3_1_10_too_many_recipients_is_452(alice, mx, monkeypatch):
    monkeypatch.setattr(handler, "MAX_RECIPIENTS", 100)  # the real limit (1,000) works the same, slower
    create_alias("@example.test", ["alice@example.test"])
    mx.ehlo("client.example.net")
    mx.mail("bob@example.net")
    for number in range(100):
        assert mx.rcpt(f"r{number}@example.test")[0] == 250
    code, reply = mx.rcpt("one-more@example.test")
    assert (code, reply[:5]) == (452, b"4.5.3")  # not 5xx: the client sends the rest later
    assert mx.data("Subject: many\r\n\r\nx\r\n")[0] == 250  # the first hundred go through


def test_rfc5321_4_4_a_received_field_is_added_on_top_and_earlier_ones_are_untouched(alice, mx):
    earlier = ("Received: from a.example.net by b.example.net with ESMTP id 1;\r\n"
               "\tMon, 7 Dec 2026 10:00:00 +0000\r\n"
               "Received: from c.example.net by a.example.net; Mon, 7 Dec 2026 09:59:00 +0000\r\n")
    mx.ehlo("client.example.net")
    mx.sendmail("bob@example.net", ["alice@example.test"], earlier + "Subject: trace\r\n\r\nx\r\n")
    raw = delivered(alice)
    header = raw[:raw.index(b"\r\n\r\n") + 2]
    assert header.startswith(b"Return-Path: <bob@example.net>\r\nDelivered-To: alice@example.test\r\nReceived: ")
    assert earlier.encode() in header  # RFC 5321 §4.4: never changed, deleted or reordered
    assert header.index(b"by mx.example.test") < header.index(earlier.encode())
    ours = email.message_from_bytes(raw, policy=email.policy.compat32).get_all("Received")[0]
    assert ours.split()[:2] == ["from", "client.example.net"]
    assert "([127.0.0.1])" in ours and "by mx.example.test" in ours and "with ESMTP" in ours
    assert parsedate_to_datetime(ours.rpartition(";")[2].strip()).tzinfo is not None  # the time stamp


def test_rfc5321_6_4_the_mx_adds_no_message_id_or_date(alice, mx):
    mx.sendmail("bob@example.net", ["alice@example.test"], "From: bob@example.net\r\nSubject: bare\r\n\r\nx\r\n")
    header = delivered(alice).split(b"\r\n\r\n")[0].lower()
    assert b"\r\nmessage-id:" not in header and b"\r\ndate:" not in header


@pytest.mark.parametrize(("hops", "accepted"), [(99, True), (100, False)])
def test_rfc5321_6_3_the_loop_threshold_is_at_least_100_received_fields(alice, mx, hops, accepted):
    fields = "".join(f"Received: from h{n}.example.net by h{n + 1}.example.net; Mon, 7 Dec 2026 10:00:00 +0000\r\n"
                     for n in range(hops))
    mx.ehlo("client.example.net")
    mx.mail("bob@example.net")
    mx.rcpt("alice@example.test")
    code, reply = mx.data(fields + "Subject: hops\r\n\r\nx\r\n")
    if accepted:
        assert code == 250
        assert delivered(alice)
    else:
        assert (code, reply[:5]) == (554, b"5.4.6")
        assert not QueuedMessage.objects.exists()


def test_rfc5321_4_2_5_a_4yz_after_data_means_nothing_is_kept(alice, mx, settings):
    """After a 4yz to the final dot the server MUST NOT deliver that message: the client
    keeps it and retries. A virus scanner that cannot be reached is one such case."""
    import socket

    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        settings.HOPTHU_CLAMD = f"127.0.0.1:{closed.getsockname()[1]}"
    mx.ehlo("client.example.net")
    mx.mail("bob@example.net")
    mx.rcpt("alice@example.test")
    code, reply = mx.data("From: bob@example.net\r\nSubject: later\r\n\r\nx\r\n")
    assert code == 451, reply
    assert not QueuedMessage.objects.exists()
    assert not Message.objects.exists()
