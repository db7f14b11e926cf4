"""POP3 with poplib and curl: the maildrop, deletions at QUIT, the lock, TLS and SASL."""
import poplib
import shutil
import subprocess
import time

import pytest

from mailcore.store.append import append
from mailcore.store.models import Folder, Message

from .conftest import tls_context

PASSWORD = "correct horse battery staple"
FIRST = b"From: bob@example.net\r\nSubject: one\r\n\r\nline 1\r\n.starts with a dot\r\nline 3\r\n"


@pytest.fixture
def maildrop(alice):
    append(alice.pk, "INBOX", FIRST)
    append(alice.pk, "INBOX", b"Subject: two\r\n\r\nsecond\r\n")
    append(alice.pk, "Archive", b"Subject: elsewhere\r\n\r\nnot in the maildrop\r\n")
    return alice


def logged_in(pop):
    pop.user("alice@example.test")
    pop.pass_(PASSWORD)
    return pop


def test_stat_list_uidl(maildrop, pop):
    logged_in(pop)
    count, size = pop.stat()
    assert count == 2 and size == sum(Message.objects.filter(folder__name="INBOX").values_list("size", flat=True))
    assert len(pop.list()[1]) == 2
    validity = Folder.objects.get(account=maildrop, name="INBOX").uidvalidity
    assert pop.uidl()[1] == [f"1 {validity}.1".encode(), f"2 {validity}.2".encode()]
    assert pop.uidl(2) == f"+OK 2 {validity}.2".encode()


def test_retr_undoes_dot_stuffing_and_top_limits_lines(maildrop, pop):
    logged_in(pop)
    _response, lines, _octets = pop.retr(1)
    assert b"\r\n".join(lines) + b"\r\n" == FIRST
    _response, lines, _octets = pop.top(1, 1)
    assert lines[-1] == b"line 1" and b"Subject: one" in lines


def test_dele_applies_only_at_quit_and_imap_sees_it(maildrop, pop, pop_host):
    logged_in(pop)
    pop.dele(1)
    assert pop.stat()[0] == 1
    with pytest.raises(poplib.error_proto, match="No such message"):
        pop.retr(1)
    pop.rset()
    assert pop.stat()[0] == 2
    pop.dele(2)
    assert Message.objects.filter(folder__name="INBOX").count() == 2  # nothing happens before QUIT
    pop.quit()
    assert list(Message.objects.filter(folder__name="INBOX").values_list("subject", flat=True)) == ["one"]


def test_a_dropped_connection_deletes_nothing(maildrop, pop_host):
    client = logged_in(poplib.POP3("127.0.0.1", pop_host.ports["pop3"], timeout=10))
    client.dele(1)
    client.close()  # no QUIT: RFC 1939 §6 UPDATE happens only on QUIT
    deadline = time.monotonic() + 5
    while True:  # the server releases the maildrop lock once it sees the connection close
        try:
            again = logged_in(poplib.POP3("127.0.0.1", pop_host.ports["pop3"], timeout=10))
            break
        except poplib.error_proto:
            assert time.monotonic() < deadline
            time.sleep(0.05)
    assert again.stat()[0] == 2
    again.quit()


def test_retrieved_messages_are_marked_seen(maildrop, pop):
    logged_in(pop)
    pop.retr(2)
    pop.quit()
    assert Message.objects.get(folder__name="INBOX", subject="two").seen
    assert not Message.objects.get(folder__name="INBOX", subject="one").seen


def test_one_session_per_maildrop(maildrop, pop, pop_host):
    logged_in(pop)
    second = poplib.POP3("127.0.0.1", pop_host.ports["pop3"], timeout=10)
    second.user("alice@example.test")
    with pytest.raises(poplib.error_proto, match="IN-USE"):
        second.pass_(PASSWORD)
    pop.quit()
    assert logged_in(second).stat()[0] == 2
    second.quit()


def test_bad_password_and_bad_commands(maildrop, pop):
    pop.user("alice@example.test")
    with pytest.raises(poplib.error_proto, match="AUTH"):
        pop.pass_("wrong")
    with pytest.raises(poplib.error_proto):
        pop._shortcmd("STAT")  # not logged in
    with pytest.raises(poplib.error_proto):
        pop._shortcmd("FROB")
    logged_in(pop)
    for bad in ("RETR", "RETR x", "RETR 9", "TOP 1", "DELE 0"):
        with pytest.raises(poplib.error_proto):
            pop._shortcmd(bad)
    assert pop.noop() == b"+OK"


def test_capa_stls_and_sasl_plain(maildrop, pop_host):
    client = poplib.POP3("127.0.0.1", pop_host.ports["pop3"], timeout=10)
    caps = client.capa()
    assert "STLS" in caps and "UIDL" in caps and caps["SASL"] == ["PLAIN"]
    client.stls(context=tls_context())
    assert "STLS" not in client.capa()
    import base64

    token = base64.b64encode(f"\0alice@example.test\0{PASSWORD}".encode()).decode()
    assert client._shortcmd(f"AUTH PLAIN {token}").startswith(b"+OK")
    assert client.stat()[0] == 2
    client.quit()


def test_implicit_tls(maildrop, pop_host):
    client = poplib.POP3_SSL("127.0.0.1", pop_host.ports["pop3s"], context=tls_context(), timeout=10)
    assert logged_in(client).stat()[0] == 2
    client.quit()


def test_curl_pop3(maildrop, pop_host):
    curl = shutil.which("curl") or pytest.fail("curl is not installed; scripts/test-services installs it")
    base = f"pop3://127.0.0.1:{pop_host.ports['pop3']}"
    listing = subprocess.run([curl, "--silent", "--show-error", "--user", f"alice@example.test:{PASSWORD}", base],
                             capture_output=True, text=True, timeout=30)
    assert listing.returncode == 0, listing.stderr
    assert listing.stdout.splitlines()[0].startswith("1 ")
    message = subprocess.run([curl, "--silent", "--show-error", "--user", f"alice@example.test:{PASSWORD}",
                              base + "/2"], capture_output=True, text=True, timeout=30)
    assert message.returncode == 0 and "second" in message.stdout


def test_retr_of_a_message_expunged_elsewhere_is_an_error_and_the_session_goes_on(maildrop, pop):
    """RFC 1939 §3: the maildrop is a snapshot; a message another client expunged since
    login answers -ERR, and the other messages are still served."""
    from mailcore.store.messages import expunge, store_flags

    logged_in(pop)
    inbox = Folder.objects.get(account=maildrop, name="INBOX")
    store_flags(maildrop.pk, inbox.pk, [1], ["\\Deleted"], mode="add")
    expunge(maildrop.pk, inbox.pk, [1])
    with pytest.raises(poplib.error_proto, match="removed by another client"):
        pop.retr(1)
    _response, lines, _octets = pop.retr(2)
    assert b"second" in lines
    assert pop.noop().startswith(b"+OK")
