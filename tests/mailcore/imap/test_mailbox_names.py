"""Mailbox names on the wire: any character but the delimiter (RFC 9051 §5.1), modified
UTF-7 (RFC 3501 §5.1.3), and what a name that cannot exist gets (imaptest atoms)."""
import imaplib

import pytest
from imapclient import IMAPClient

from mailcore.store.models import Folder

PASSWORD = "correct horse battery staple"
ATOM_CHARS = "!#$&'+,-.0123456789:;<=>?@^_`|[}"  # every atom character that is no letter


@pytest.fixture
def client(alice, imap):
    imap.login("alice@example.test", PASSWORD)
    return imap


def test_rfc3501_5_1_3_a_name_that_is_not_modified_utf7_is_no_not_bad(client):
    typ, data = client.select(ATOM_CHARS)  # "&'+,-" is no base64: such a mailbox cannot exist
    assert typ == "NO" and data[0].startswith(b"[CANNOT]")
    typ, data = client._simple_command("LIST", f'"" {ATOM_CHARS}%*')
    assert typ == "OK" and client.untagged_responses.pop("LIST", [None]) == [None]
    assert client.noop()[0] == "OK"  # and the session goes on
    typ, _ = client.create('"bad&Jjo"')  # unterminated shift
    assert typ == "NO"


def test_rfc9051_5_1_names_may_hold_quotes_backslashes_and_wildcards(alice, client):
    for name in (r'"q\"uote"', r'"back\\slash"', '"st*ar"', '"per%cent"'):
        assert client.create(name)[0] == "OK", name
    assert {'q"uote', "back\\slash", "st*ar", "per%cent"} <= set(
        Folder.objects.filter(account=alice).values_list("name", flat=True))
    typ, data = client.list('""', '"q*"')
    assert typ == "OK" and data == [b'(\\HasNoChildren) "/" "q\\"uote"']  # quoted, escaped
    assert client.select(r'"q\"uote"')[0] == "OK"


def test_rfc9051_5_1_control_characters_are_refused_with_cannot(client):
    typ, data = client._simple_command("CREATE", "{5+}\r\na\tb\x7fc")
    assert typ == "NO" and data[0].startswith(b"[CANNOT]")


def test_imapclient_creates_and_lists_names_with_quotes_and_backslashes(alice, imap_host):
    """IMAPClient's live test (test_list_folders) creates such names and finds them in LIST."""
    names = ['Work/test"folder"', "Work/foo\\bar", "Work/L\xffR", "Work/stuff & things"]
    with IMAPClient("127.0.0.1", port=imap_host.ports["imap"], ssl=False, timeout=10) as imap:
        imap.login("alice@example.test", PASSWORD)
        for name in names:
            imap.create_folder(name)
        listed = {name for _flags, _delimiter, name in imap.list_folders("Work")}
        assert set(names) <= listed
        imap.select_folder('Work/test"folder"')
        imap.rename_folder("Work/foo\\bar", 'Work/"moved"')
        assert 'Work/"moved"' in {name for _f, _d, name in imap.list_folders("Work")}


def test_imapclient_subscriptions_list_exactly_what_was_subscribed(alice, imap_host):
    """IMAPClient's live test_subscriptions: LSUB under a folder created but never
    subscribed shows only the subscribed children; a missing folder cannot be subscribed."""
    with IMAPClient("127.0.0.1", port=imap_host.ports["imap"], ssl=False, timeout=10) as imap:
        imap.login("alice@example.test", PASSWORD)
        imap.create_folder("Base")
        children = ["Base/foobar", "Base/stuff & things", "Base/test & \u2622"]
        for name in children:
            imap.create_folder(name)
            imap.subscribe_folder(name)
        assert sorted(name for _f, _d, name in imap.list_sub_folders("Base")) == sorted(children)
        for name in children:
            imap.unsubscribe_folder(name)
        assert imap.list_sub_folders("Base") == []
        with pytest.raises(imaplib.IMAP4.error, match="NONEXISTENT"):
            imap.subscribe_folder("this folder is not likely to exist")


def test_rfc9051_4_3_a_long_name_comes_back_in_list_as_a_literal(alice, client):
    """500 Vietnamese letters take over 1,000 octets in modified UTF-7: LIST sends a literal."""
    from mailcore.imap import utf7

    name = "Hóa đơn " + "ư" * 492
    wire = utf7.encode(name)
    assert client.create(f'"{wire}"')[0] == "OK"
    typ, data = client.list('""', '"H*"')
    assert typ == "OK"
    assert data[0] == (b'(\\HasNoChildren) "/" {%d}' % len(wire), wire.encode())
    with IMAPClient("127.0.0.1", port=client.port, ssl=False, timeout=10) as imap:
        imap.login("alice@example.test", PASSWORD)
        assert [folder for _f, _d, folder in imap.list_folders(pattern="H*")] == [name]
