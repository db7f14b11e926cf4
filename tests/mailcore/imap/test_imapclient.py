"""IMAPClient (a widely used Python IMAP library) against HopThu: its parsing of our
FETCH, SEARCH, LIST and IDLE answers is a second opinion on their syntax."""
import threading

import pytest
from imapclient import IMAPClient

from mailcore.store.append import append

from .conftest import tls_context

PASSWORD = "correct horse battery staple"


@pytest.fixture
def client(alice, imap_host):
    append(alice.pk, "INBOX", "From: Nguyễn An <an@example.net>\r\nSubject: Hóa đơn\r\n\r\nXin chào\r\n".encode())
    append(alice.pk, "INBOX", b"From: bob@example.net\r\nSubject: two\r\n\r\nsecond\r\n")
    with IMAPClient("127.0.0.1", port=imap_host.ports["imaps"], ssl=True, ssl_context=tls_context(), timeout=10) as c:
        c.login("alice@example.test", PASSWORD)
        yield c


def test_folders_and_special_use(client):
    folders = {name: flags for flags, _delimiter, name in client.list_folders()}
    assert b"\\Sent" in folders["Sent"] and "INBOX" in folders
    assert client.find_special_folder(b"\\Trash") == "Trash"


def test_select_fetch_and_envelope(client):
    info = client.select_folder("INBOX")
    assert info[b"EXISTS"] == 2
    data = client.fetch([1, 2], ["ENVELOPE", "FLAGS", "RFC822.SIZE", "BODY.PEEK[TEXT]"])
    envelope = data[1][b"ENVELOPE"]
    assert envelope.from_[0].mailbox == b"an" and envelope.from_[0].host == b"example.net"
    assert data[2][b"BODY[TEXT]"] == b"second\r\n"


def test_search_store_and_move(client):
    client.select_folder("INBOX")
    assert client.search(["SUBJECT", "hoa don"], charset="UTF-8") == [1]
    client.add_flags([2], [b"\\Flagged"])
    assert client.search(["FLAGGED"]) == [2]
    client.move([2], "Archive")
    assert client.search(["ALL"]) == [1]
    assert client.folder_status("Archive", ["MESSAGES"])[b"MESSAGES"] == 1


def test_idle_hears_new_mail(alice, client):
    client.select_folder("INBOX")
    client.idle()
    threading.Timer(0.2, lambda: append(alice.pk, "INBOX", b"Subject: late\r\n\r\nx\r\n")).start()
    responses = client.idle_check(timeout=3)
    client.idle_done()
    assert (3, b"EXISTS") in responses
