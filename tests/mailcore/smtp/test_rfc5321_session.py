"""RFC 5321 MUSTs of a receiving server about commands, their order and the replies,
over the MX port with exact bytes (Dialogue) or smtplib. docs/smtp.md has the table."""
import contextlib
import re
import smtplib

import pytest

from mailcore.delivery.models import QueuedMessage, QueueRecipient
from mailcore.store.fetch import fetch_raw
from mailcore.store.models import Message

from .conftest import wait_for
from .test_mx_policy import Dialogue

SIMPLE = b"From: bob@example.net\r\nTo: alice@example.test\r\nSubject: hi\r\n\r\nhello\r\n.\r\n"


@pytest.fixture
def raw(mail_host):
    d = Dialogue(mail_host.ports["smtp"])
    yield d
    # QUIT, so the server ends the session itself before the host stops: a bare close may
    # not be seen before then, and its connection slot would stay counted in this process.
    with contextlib.suppress(OSError, AssertionError):
        d.send(b"QUIT\r\n")
        d.file.read()
    d.close()


def test_rfc5321_4_5_1_every_minimum_command_is_implemented(alice, raw):
    """EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY: none answers 500/502."""
    assert raw.send(b"HELO client.example.net\r\n").startswith("250 ")
    assert raw.send(b"EHLO client.example.net\r\n").startswith("250-")
    assert raw.send(b"NOOP\r\n").startswith("250")
    assert raw.send(b"VRFY alice@example.test\r\n")[:3] in ("250", "251", "252")
    assert raw.send(b"MAIL FROM:<bob@example.net>\r\n").startswith("250")
    assert raw.send(b"RCPT TO:<alice@example.test>\r\n").startswith("250")
    assert raw.send(b"DATA\r\n").startswith("354")
    assert raw.send(SIMPLE).startswith("250")
    assert raw.send(b"RSET\r\n").startswith("250")
    assert raw.send(b"QUIT\r\n").startswith("221")


def test_rfc5321_4_1_1_1_helo_alone_is_enough_to_send(alice, raw):
    raw.send(b"HELO client.example.net\r\n")
    raw.send(b"MAIL FROM:<bob@example.net>\r\n")
    raw.send(b"RCPT TO:<alice@example.test>\r\n")
    raw.send(b"DATA\r\n")
    assert raw.send(SIMPLE).startswith("250")
    stored = wait_for(lambda: Message.objects.filter(account=alice).first(), what="delivery")
    assert b" with SMTP " in fetch_raw(stored)  # RFC 3848: HELO is plain SMTP


@pytest.mark.parametrize("name", ["[127.0.0.1]", "[IPv6:::1]", "not-my-name.example.com", "localhost"])
def test_rfc5321_4_1_4_an_ehlo_name_that_does_not_match_the_client_is_not_refused(alice, raw, name):
    """The server MAY verify the EHLO name but MUST NOT refuse mail because it fails (§4.1.4);
    an address literal is what a host without a name sends (§2.3.5, §4.1.3)."""
    assert raw.send(f"EHLO {name}\r\n".encode()).startswith("250")
    raw.send(b"MAIL FROM:<bob@example.net>\r\n")
    assert raw.send(b"RCPT TO:<alice@example.test>\r\n").startswith("250")
    raw.send(b"DATA\r\n")
    assert raw.send(SIMPLE).startswith("250")


def test_rfc5321_4_1_4_ehlo_again_resets_the_transaction(alice, raw):
    raw.send(b"EHLO client.example.net\r\n")
    raw.send(b"MAIL FROM:<bob@example.net>\r\n")
    raw.send(b"RCPT TO:<alice@example.test>\r\n")
    assert raw.send(b"EHLO client.example.net\r\n").startswith("250")
    assert raw.send(b"DATA\r\n").startswith("503")  # "exactly as if a RSET command had been issued"
    assert raw.send(b"MAIL FROM:<bob@example.net>\r\n").startswith("250")  # no nested MAIL


def test_rfc5321_4_1_4_mail_before_ehlo_is_out_of_sequence(alice, raw):
    assert raw.send(b"MAIL FROM:<bob@example.net>\r\n").startswith("503")
    assert raw.send(b"EHLO client.example.net\r\n").startswith("250")  # and the state is unchanged


def test_rfc5321_4_1_4_out_of_order_commands_get_503_and_the_state_stays(alice, raw):
    raw.send(b"EHLO client.example.net\r\n")
    assert raw.send(b"RCPT TO:<alice@example.test>\r\n").startswith("503")  # no MAIL yet
    assert raw.send(b"DATA\r\n").startswith("503")
    assert raw.send(b"MAIL FROM:<bob@example.net>\r\n").startswith("250")
    assert raw.send(b"MAIL FROM:<bob@example.net>\r\n").startswith("503")  # nested MAIL
    assert raw.send(b"DATA\r\n").startswith("503")  # no RCPT yet (§3.3: 503 or 554)
    assert raw.send(b"RCPT TO:<alice@example.test>\r\n").startswith("250")  # the transaction lives on
    raw.send(b"DATA\r\n")
    assert raw.send(SIMPLE).startswith("250")


def test_rfc5321_4_1_4_a_bad_argument_gets_501_and_the_state_stays(alice, raw):
    raw.send(b"EHLO client.example.net\r\n")
    assert raw.send(b"MAIL FROM bob@example.net\r\n").startswith("501")  # no colon
    assert raw.send(b"MAIL FROM:<bob@example.net> SIZE=big\r\n").startswith("501")
    assert raw.send(b"MAIL FROM:<bob@example.net>\r\n").startswith("250")
    assert raw.send(b"RCPT TO alice\r\n").startswith("501")
    assert raw.send(b"RCPT TO:<alice@example.test>\r\n").startswith("250")


def test_rfc5321_4_1_1_5_rset_answers_250_and_clears_the_transaction(alice, raw):
    raw.send(b"EHLO client.example.net\r\n")
    raw.send(b"MAIL FROM:<bob@example.net>\r\n")
    raw.send(b"RCPT TO:<alice@example.test>\r\n")
    assert raw.send(b"RSET\r\n").startswith("250")
    assert raw.send(b"RCPT TO:<alice@example.test>\r\n").startswith("503")
    assert raw.send(b"RSET\r\n").startswith("250")  # also with nothing to clear


def test_rfc5321_4_1_1_9_noop_answers_250_at_any_time(alice, raw):
    assert raw.send(b"NOOP\r\n").startswith("250")  # before EHLO
    raw.send(b"EHLO client.example.net\r\n")
    raw.send(b"MAIL FROM:<bob@example.net>\r\n")
    assert raw.send(b"NOOP\r\n").startswith("250")
    assert raw.send(b"RCPT TO:<alice@example.test>\r\n").startswith("250")  # NOOP changed nothing


def test_rfc5321_4_1_1_10_quit_answers_221_then_the_server_closes(alice, raw):
    raw.send(b"EHLO client.example.net\r\n")
    assert raw.send(b"QUIT\r\n").startswith("221")
    assert raw.file.readline() == b""  # closed by the server


def test_rfc5321_3_8_errors_never_close_the_session(alice, raw):
    """The server MUST NOT close the channel before QUIT except for shutdown, timeout or
    too many errors (§3.8, §4.1.1.10): unknown commands and junk get replies."""
    raw.send(b"EHLO client.example.net\r\n")
    for junk in (b"FOO\r\n", b"MAIL\r\n", b"RCPT\r\n", b"\r\n", b"DATA extra\r\n", b"EXPN staff\r\n"):
        reply = raw.send(junk)
        assert reply[0] == "5", (junk, reply)
    assert raw.send(b"NOOP\r\n").startswith("250")


def test_rfc5321_4_2_4_an_unknown_command_is_500(alice, raw):
    raw.send(b"EHLO client.example.net\r\n")
    assert raw.send(b"XYZZY\r\n")[:3] in ("500", "502")


def test_rfc5321_2_4_verbs_and_argument_keywords_are_case_insensitive(alice, raw):
    assert raw.send(b"ehlo client.example.net\r\n").startswith("250")
    assert raw.send(b"mail from:<bob@example.net> size=100 body=8bitmime\r\n").startswith("250")
    assert raw.send(b"rcpt to:<alice@example.test>\r\n").startswith("250")
    assert raw.send(b"data\r\n").startswith("354")
    assert raw.send(SIMPLE).startswith("250")


def test_rfc5321_4_2_every_reply_line_is_code_then_space_or_hyphen(alice, raw):
    ehlo = raw.send(b"EHLO client.example.net\r\n").split("\n")
    assert all(re.match(r"250-", line) for line in ehlo[:-1]) and ehlo[-1].startswith("250 ")
    assert re.match(r"220 mx\.example\.test ", raw.greeting)  # §4.3.1: the greeting names the server


@pytest.mark.parametrize("command", [
    b"MAIL FROM:<bob@example.net>\r\nMAIL FROM:<bob@example.net>\r\n",  # 503 nested
    b"RCPT TO:<alice@example.test>\r\n",  # 503 need MAIL
    b"DATA\r\n",  # 503 need RCPT
    b"MAIL FROM:<bob@example.net> FOO=BAR\r\n",  # 555
    b"MAIL FROM:bob\r\n",  # 501 or 553
    b"RSET\r\n", b"NOOP\r\n", b"VRFY alice\r\n", b"EXPN staff\r\n", b"HELP\r\n", b"XYZZY\r\n", b"QUIT\r\n",
])
def test_rfc2034_3_every_reply_after_ehlo_has_an_enhanced_status_code(alice, raw, command):
    raw.send(b"EHLO client.example.net\r\n")
    raw.sock.sendall(command)
    for _line in command.split(b"\r\n")[:-1]:
        reply = raw.reply()
    assert re.match(r"\d{3}[ -][245]\.\d{1,3}\.\d{1,3} ", reply), reply


def test_rfc3207_starttls_reply_carries_an_enhanced_code(alice, raw):
    raw.send(b"EHLO client.example.net\r\n")
    assert raw.send(b"STARTTLS\r\n").startswith("220 2.0.0 ")


def test_rfc5321_7_3_vrfy_does_not_disclose_and_expn_is_refused(alice, raw):
    raw.send(b"EHLO client.example.net\r\n")
    assert raw.send(b"VRFY alice@example.test\r\n").startswith("252")  # the same for any name
    assert raw.send(b"VRFY nobody@example.test\r\n").startswith("252")
    assert raw.send(b"EXPN staff\r\n").startswith("502")


def test_rfc5321_4_1_1_3_a_source_route_is_accepted_and_ignored(alice, mx):
    """Servers MUST be prepared to receive source routes; they SHOULD ignore them
    (§4.1.1.3, Appendix C): the mail goes to the final mailbox."""
    mx.ehlo("client.example.net")
    assert mx.docmd("MAIL FROM:<@relay.example.net:bob@example.net>")[0] == 250
    assert mx.docmd("RCPT TO:<@mx.example.test,@other.example:alice@example.test>")[0] == 250
    assert mx.data("Subject: routed\r\n\r\nhi\r\n")[0] == 250
    stored = wait_for(lambda: Message.objects.filter(account=alice).first(), what="delivery")
    assert fetch_raw(stored).startswith(b"Return-Path: <bob@example.net>\r\n")


def test_rfc5321_4_1_1_3_a_source_route_never_relays(alice, mx):
    mx.ehlo("client.example.net")
    mx.docmd("MAIL FROM:<bob@example.net>")
    assert mx.docmd("RCPT TO:<@mx.example.test:victim@example.net>")[0] == 554
    assert not QueueRecipient.objects.exists()


def test_rfc5321_2_4_a_remote_local_part_keeps_its_case(alice, mail_host):
    """Local parts are case-sensitive at the server that holds the mailbox: mail we pass
    on keeps the spelling it was given (our own mailboxes are looked up case-insensitively)."""
    from .conftest import PASSWORD, client_tls_context

    with smtplib.SMTP("127.0.0.1", mail_host.ports["submission"], timeout=10) as client:
        client.starttls(context=client_tls_context())
        client.login("alice@example.test", PASSWORD)
        client.sendmail("alice@example.test", ["John.Smith@Example.NET", "ALICE@example.test"],
                        "From: alice@example.test\r\nSubject: case\r\n\r\nhi\r\n")
    addresses = set(QueueRecipient.objects.values_list("address", flat=True))
    assert addresses == {"John.Smith@example.net", "alice@example.test"}


def test_rfc5321_2_4_the_reverse_path_keeps_its_case(alice, mx):
    mx.sendmail("Bob.Jones@Example.NET", ["alice@example.test"], "Subject: case\r\n\r\nhi\r\n")
    assert QueuedMessage.objects.get().mail_from == "Bob.Jones@example.net"  # where a bounce goes


@pytest.mark.parametrize("name", ["alice", "<junk", "x" * 490])
def test_rfc5321_4_5_3_1_5_vrfy_never_echoes_past_the_reply_line_limit(alice, raw, name):
    raw.send(b"EHLO client.example.net\r\n")
    reply = raw.send(f"VRFY {name}\r\n".encode())
    assert reply.startswith("252 2.0.0 ") and len(reply) + 2 <= 512
    assert name not in reply


def test_rfc5321_4_1_1_1_an_unacceptable_ehlo_is_501_and_the_state_stays(alice, raw):
    assert raw.send(b"EHLO\r\n").startswith("501")
    assert raw.send(b"HELO\r\n").startswith("501")
    assert raw.send(b"MAIL FROM:<bob@example.net>\r\n").startswith("503")  # still no greeting from the client
    assert raw.send(b"EHLO client.example.net\r\n").startswith("250")
    assert raw.send(b"MAIL FROM:<bob@example.net>\r\n").startswith("250")
