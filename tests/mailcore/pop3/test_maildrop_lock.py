"""RFC 1939 §8: POP3's exclusive maildrop lock holds on every node (issue 20). It is a
lease in the database: another node's session is refused, a dead node's lock expires,
and a session renews it while it works and gives it back when it ends."""
import poplib
import socket
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from mailcore.pop3 import server
from mailcore.store import maildrop
from mailcore.store.append import append
from mailcore.store.models import MaildropLock

PASSWORD = "correct horse battery staple"


@pytest.fixture
def mailbox(alice):
    append(alice.pk, "INBOX", b"Subject: one\r\n\r\nbody\r\n")
    return alice


def log_in(pop):
    pop.user("alice@example.test")
    return pop.pass_(PASSWORD)


def test_rfc1939_8_a_lock_held_on_another_node_refuses_the_login(mailbox, pop):
    holder = maildrop.lock_maildrop(mailbox.pk)  # what another node's session writes
    assert holder is not None
    with pytest.raises(poplib.error_proto, match=r"\[IN-USE\]"):
        log_in(pop)
    maildrop.unlock_maildrop(mailbox.pk, holder)
    assert log_in(pop).startswith(b"+OK")
    pop.quit()


def test_rfc1939_8_the_lock_of_a_dead_node_expires(mailbox, pop):
    MaildropLock.objects.create(account=mailbox, holder="node-gone", expires=timezone.now() - timedelta(seconds=1))
    assert log_in(pop).startswith(b"+OK")
    assert MaildropLock.objects.get(account=mailbox).holder != "node-gone"
    pop.quit()


def test_rfc1939_8_quit_and_a_dropped_connection_give_the_lock_back(mailbox, pop, pop_host):
    log_in(pop)
    assert MaildropLock.objects.filter(account=mailbox).count() == 1
    pop.quit()
    assert not MaildropLock.objects.filter(account=mailbox).exists()
    raw = socket.create_connection(("127.0.0.1", pop_host.ports["pop3"]), timeout=10)
    reader = raw.makefile("rb")
    reader.readline()
    raw.sendall(b"USER alice@example.test\r\n")
    reader.readline()
    raw.sendall(f"PASS {PASSWORD}\r\n".encode())
    assert reader.readline().startswith(b"+OK")
    assert MaildropLock.objects.filter(account=mailbox).exists()
    reader.close()
    raw.close()  # no QUIT: the client vanished
    deadline = time.monotonic() + 5
    while MaildropLock.objects.filter(account=mailbox).exists():
        assert time.monotonic() < deadline, "the lock outlived its session"
        time.sleep(0.05)


def test_rfc1939_8_a_working_session_renews_its_lease(mailbox, pop, monkeypatch):
    monkeypatch.setattr(server, "RENEW_SECONDS", 0)
    log_in(pop)
    MaildropLock.objects.filter(account=mailbox).update(expires=timezone.now() + timedelta(seconds=5))
    pop.noop()
    assert MaildropLock.objects.get(account=mailbox).expires > timezone.now() + timedelta(seconds=60)
    pop.quit()


def test_rfc1939_8_a_session_that_lost_its_lock_ends_without_update(mailbox, pop, monkeypatch):
    monkeypatch.setattr(server, "RENEW_SECONDS", 0)
    log_in(pop)
    pop.dele(1)
    MaildropLock.objects.filter(account=mailbox).update(holder="someone-else")  # expired and taken
    with pytest.raises(poplib.error_proto, match=r"\[IN-USE\]"):
        pop.quit()
    assert mailbox.folders.get(name="INBOX").messages.count() == 1  # the DELE was not applied
