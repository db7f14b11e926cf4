"""Issue 4 point 5: SMTP delivery, IMAP and POP3 on one mailbox at once stay consistent,
and an IDLE client hears of a delivered message within a second."""
import imaplib
import poplib
import smtplib
import socket
import time

import pytest

from mailcore.delivery.runner import start_local_delivery
from mailcore.imap.listeners import FACTORIES as IMAP
from mailcore.pop3.listeners import FACTORIES as POP3
from mailcore.smtp.listeners import FACTORIES as SMTP
from mailcore.store.models import Folder, Message
from tests.support.hosts import running_host

PASSWORD = "correct horse battery staple"


@pytest.fixture
def host(settings, tmp_path, transactional_db):
    settings.HOPTHU_DELIVERY_SWEEP_SECONDS = 0.2
    with running_host(settings, tmp_path, [*SMTP, *IMAP, *POP3, start_local_delivery],
                      ("smtp", "submission", "submissions", "relay", "imap", "imaps", "pop3", "pop3s")) as running:
        yield running


def send(host, subject):
    with smtplib.SMTP("127.0.0.1", host.ports["smtp"], timeout=10) as client:
        client.sendmail("bob@example.net", ["alice@example.test"],
                        f"From: bob@example.net\r\nSubject: {subject}\r\n\r\nhello\r\n".encode())


def test_idle_hears_smtp_delivery_within_a_second(alice, host):
    sock = socket.create_connection(("127.0.0.1", host.ports["imap"]), timeout=10)
    reader = sock.makefile("rb")
    reader.readline()
    sock.sendall(f'a LOGIN alice@example.test "{PASSWORD}"\r\nb SELECT INBOX\r\nc IDLE\r\n'.encode())
    while not reader.readline().startswith(b"+ "):
        pass
    started = time.monotonic()
    send(host, "to the idler")  # returns after the 250: the clock starts at acceptance
    assert reader.readline() == b"* 1 EXISTS\r\n"
    assert time.monotonic() - started < 1.0 + 0.5  # delivery, then at most one poll
    sock.close()


def test_pop3_deletions_and_imap_flags_agree(alice, host):
    for subject in ("one", "two", "three"):
        send(host, subject)
    deadline = time.monotonic() + 10
    while Message.objects.filter(account=alice).count() < 3:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    imap = imaplib.IMAP4("127.0.0.1", host.ports["imap"], timeout=10)
    imap.login("alice@example.test", PASSWORD)
    imap.select("INBOX")
    imap.store("1", "+FLAGS", "(\\Flagged)")
    pop = poplib.POP3("127.0.0.1", host.ports["pop3"], timeout=10)
    pop.user("alice@example.test")
    pop.pass_(PASSWORD)
    assert pop.stat()[0] == 3
    pop.retr(3)
    pop.dele(2)
    pop.quit()
    imap.noop()
    assert imap.untagged_responses.get("EXPUNGE") == [b"2"]
    _typ, data = imap.fetch("1:*", "(UID FLAGS)")
    # \Recent too: this IMAP session is the first to have selected INBOX since they arrived.
    assert list(data)[-2:] == [b"1 (UID 1 FLAGS (\\Flagged \\Recent))", b"2 (UID 3 FLAGS (\\Seen \\Recent))"]
    send(host, "four")
    deadline = time.monotonic() + 10
    while not Message.objects.filter(account=alice, subject="four").exists():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    imap.noop()
    assert imap.untagged_responses["EXISTS"][-1] == b"3"
    folder = Folder.objects.get(account=alice, name="INBOX")
    assert folder.uidnext == 5 and list(folder.messages.order_by("uid").values_list("uid", flat=True)) == [1, 3, 4]
    imap.logout()


def test_imap_status_and_the_webmail_count_unread_mail_alike(alice, host, client):
    """Issue 15 point 4: one read side. RFC 9051 §6.3.11 UNSEEN counts messages without
    \\Seen, \\Deleted ones too until expunged; the webmail's sidebar shows the same number."""
    from mailcore.store.append import append

    append(alice.pk, "INBOX", b"Subject: unread\r\n\r\n.\r\n")
    append(alice.pk, "INBOX", b"Subject: read\r\n\r\n.\r\n", flags=["\\Seen"])
    append(alice.pk, "INBOX", b"Subject: unread, deleted\r\n\r\n.\r\n", flags=["\\Deleted"])
    imap = imaplib.IMAP4("127.0.0.1", host.ports["imap"], timeout=10)
    imap.login("alice@example.test", PASSWORD)
    _typ, data = imap.status("INBOX", "(MESSAGES UNSEEN)")
    imap.logout()
    assert b"UNSEEN 2" in data[0] and b"MESSAGES 3" in data[0]
    client.force_login(alice.user)
    inbox = Folder.objects.get(account=alice, name="INBOX")
    html = client.get(f"/mail/folder/{inbox.pk}/").content.decode()
    assert f'data-unread-for="{inbox.pk}">2<' in html
