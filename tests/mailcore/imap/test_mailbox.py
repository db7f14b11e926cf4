"""SELECT, EXAMINE, CREATE, DELETE, RENAME, (UN)SUBSCRIBE, LIST, LSUB, STATUS, CLOSE, UNSELECT."""
import imaplib
import re
import socket

import pytest

from mailcore.store.append import append
from mailcore.store.messages import store_flags
from mailcore.store.models import Folder

PASSWORD = "correct horse battery staple"


@pytest.fixture
def client(alice, imap):
    imap.login("alice@example.test", PASSWORD)
    return imap


def listed(client, *args, command="list"):
    typ, data = getattr(client, command)(*args)
    assert typ == "OK"
    out = []
    for line in data:
        if line is None:
            continue
        match = re.match(rb'\((.*?)\) "/" (.*)', line)
        name = match.group(2).strip(b'"').decode()
        out.append((name, match.group(1).decode().split()))
    return dict(out)


def test_select_reports_the_folder(alice, client):
    for i in range(3):
        append(alice.pk, "INBOX", f"Subject: {i}\r\n\r\nx\r\n".encode())
    store_flags(alice.pk, "INBOX", [1], ["\\Seen"])
    typ, data = client.select("INBOX")
    assert (typ, data) == ("OK", [b"3"])
    folder = Folder.objects.get(account=alice, name="INBOX")
    assert client.untagged_responses["UIDVALIDITY"] == [str(folder.uidvalidity).encode()]
    assert client.untagged_responses["UIDNEXT"] == [b"4"]
    assert client.untagged_responses["UNSEEN"] == [b"2"]
    assert client.state == "SELECTED"


def test_examine_is_read_only(client):
    typ, _data = client.select("INBOX", readonly=True)
    assert typ == "OK"
    assert "READ-ONLY" in client.untagged_responses


def test_selecting_a_missing_folder_fails_and_leaves_nothing_selected(alice, imap_host):
    with socket.create_connection(("127.0.0.1", imap_host.ports["imap"]), timeout=10) as raw:
        reader = raw.makefile("rb")
        reader.readline()

        def send(line):
            raw.sendall(line + b"\r\n")
            while True:
                reply = reader.readline()
                if not reply.startswith(b"*"):
                    return reply

        assert send(b'a LOGIN alice@example.test "' + PASSWORD.encode() + b'"').startswith(b"a OK")
        assert send(b"b SELECT INBOX").startswith(b"b OK")
        assert send(b"c SELECT Nope").startswith(b"c NO [NONEXISTENT]")
        assert send(b"d CLOSE").startswith(b"d BAD")  # nothing is selected any more


def test_create_rename_delete_with_non_ascii_names(alice, client):
    assert client.create('"&AREBoQ-n h&AOA-ng/2026"')[0] == "OK"  # "đơn hàng/2026" in modified UTF-7
    assert Folder.objects.filter(account=alice, name="đơn hàng/2026").exists()
    assert Folder.objects.filter(account=alice, name="đơn hàng").exists()
    assert client.rename('"&AREBoQ-n h&AOA-ng"', "Orders")[0] == "OK"
    assert Folder.objects.filter(account=alice, name="Orders/2026").exists()
    typ, data = client.delete("Orders")
    assert typ == "NO" and b"[INUSE]" in data[0]
    assert client.delete("Orders/2026")[0] == "OK"
    assert client.delete("Orders")[0] == "OK"
    typ, data = client.create("INBOX")
    assert typ == "NO" and b"ALREADYEXISTS" in data[0]
    typ, data = client.delete("Missing")
    assert typ == "NO" and b"NONEXISTENT" in data[0]


def test_list_shows_special_use_and_children(client):
    client.create("Projects/HopThu")
    folders = listed(client, '""', "*")
    assert folders["Sent"] == ["\\HasNoChildren", "\\Sent"]
    assert folders["Projects"] == ["\\HasChildren"]
    assert set(folders) >= {"INBOX", "Sent", "Drafts", "Junk", "Trash", "Archive", "Projects", "Projects/HopThu"}
    assert set(listed(client, '""', "%")) >= {"INBOX", "Projects"}
    assert "Projects/HopThu" not in listed(client, '""', "%")
    assert set(listed(client, "Projects/", "%")) == {"Projects/HopThu"}
    assert set(listed(client, '""', "inbox")) == {"INBOX"}


def test_list_with_an_empty_pattern_gives_the_delimiter(client):
    typ, data = client.list('""', '""')
    assert typ == "OK" and data == [b'(\\Noselect) "/" ""']


def test_subscriptions(client):
    client.create("Later")
    client.unsubscribe("Later")
    assert "Later" not in listed(client, '""', "*", command="lsub")
    client.subscribe("Later")
    assert "Later" in listed(client, '""', "*", command="lsub")


def test_status(alice, client):
    append(alice.pk, "INBOX", b"Subject: a\r\n\r\nx\r\n")
    append(alice.pk, "INBOX", b"Subject: b\r\n\r\ny\r\n")
    store_flags(alice.pk, "INBOX", [2], ["\\Seen"])
    typ, data = client.status("INBOX", "(MESSAGES UNSEEN UIDNEXT)")
    assert typ == "OK" and data == [b'INBOX (MESSAGES 2 UNSEEN 1 UIDNEXT 3)']
    with pytest.raises(imaplib.IMAP4.error, match="Unknown status item BOGUS"):
        client.status("INBOX", "(BOGUS)")


def test_close_expunges_deleted_messages_and_unselect_does_not(alice, client):
    append(alice.pk, "INBOX", b"Subject: a\r\n\r\nx\r\n")
    append(alice.pk, "INBOX", b"Subject: b\r\n\r\ny\r\n")
    store_flags(alice.pk, "INBOX", [1, 2], ["\\Deleted"])
    client.select("INBOX", readonly=True)
    client.close()
    assert Folder.objects.get(account=alice, name="INBOX").messages.count() == 2
    client.select("INBOX")
    assert client.unselect()[0] == "OK"
    assert Folder.objects.get(account=alice, name="INBOX").messages.count() == 2
    client.select("INBOX")
    client.close()
    assert Folder.objects.get(account=alice, name="INBOX").messages.count() == 0


def raw_list(client, arguments: str) -> list[bytes]:
    typ, data = client._simple_command("LIST", arguments)
    assert typ == "OK", data
    return [line for line in client.untagged_responses.pop("LIST", []) if line]


def test_list_extended_selection_and_return_options(client):
    client.create("Later")
    client.unsubscribe("Later")
    lines = raw_list(client, '(SUBSCRIBED) "" "*"')
    assert not any(line.endswith(b" Later") for line in lines)
    assert any(b"\\Subscribed" in line and line.endswith(b" INBOX") for line in lines)
    special = raw_list(client, '(SPECIAL-USE) "" "*"')
    assert {line.rsplit(b" ", 1)[1] for line in special} == {b"Sent", b"Drafts", b"Junk", b"Trash", b"Archive"}
    several = raw_list(client, '"" (INBOX Sent)')
    assert {line.rsplit(b" ", 1)[1] for line in several} == {b"INBOX", b"Sent"}


def test_list_status_returns_counts_with_each_folder(alice, client):
    append(alice.pk, "INBOX", b"Subject: a\r\n\r\nx\r\n")
    typ, _data = client._simple_command("LIST", '"" "INBOX" RETURN (STATUS (MESSAGES UNSEEN))')
    assert typ == "OK"
    assert client.untagged_responses["STATUS"] == [b"INBOX (MESSAGES 1 UNSEEN 1)"]


def test_bad_list_options(client):
    with pytest.raises(imaplib.IMAP4.error):
        client._simple_command("LIST", '(BOGUS) "" "*"')
