"""Per-recipient trace fields: served before the shared blob, counted in size and quota."""
from mailcore.store.append import Target, append_many
from mailcore.store.fetch import fetch_raw, fetch_section, get_message
from mailcore.store.messages import copy_messages, quota_usage
from mailcore.store.models import Blob

RAW = (b"From: bob@example.net\r\nSubject: hi\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
       b"--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b--\r\n")


def trace(address):
    return f"Return-Path: <bob@example.net>\r\nDelivered-To: {address}\r\n".encode()


def test_each_recipient_gets_its_trace_and_all_share_one_blob(alice, bob):
    append_many(RAW, [Target(alice.pk, trace=trace("alice@example.test")),
                      Target(bob.pk, trace=trace("bob@example.test"))])
    assert Blob.objects.count() == 1
    mine = get_message(alice.pk, "INBOX", 1)
    theirs = get_message(bob.pk, "INBOX", 1)
    assert fetch_raw(mine) == trace("alice@example.test") + RAW
    assert fetch_section(theirs, "") == trace("bob@example.test") + RAW
    assert fetch_section(mine, "HEADER").startswith(trace("alice@example.test") + b"From: bob@example.net\r\n")
    assert fetch_section(mine, "HEADER").endswith(b"boundary=b\r\n\r\n")
    assert fetch_section(mine, "TEXT").startswith(b"--b\r\n")
    assert fetch_section(mine, "1") == b"hello"
    assert mine.size == len(trace("alice@example.test")) + len(RAW)
    assert quota_usage(alice.pk)[0] == mine.size
    assert mine.subject == "hi" and mine.from_address == "bob@example.net"


def test_a_copy_keeps_its_trace(alice):
    append_many(RAW, [Target(alice.pk, trace=trace("alice@example.test"))])
    copy_messages(alice.pk, "INBOX", [1], "Archive")
    copied = get_message(alice.pk, "Archive", 1)
    assert fetch_raw(copied) == trace("alice@example.test") + RAW
    assert quota_usage(alice.pk)[0] == 2 * copied.size
