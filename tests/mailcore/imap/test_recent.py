"""\\Recent (RFC 3501 §2.3.2): recent in exactly one session, the first to select the
folder after the message arrived; RECENT in SELECT, EXAMINE and STATUS; SEARCH RECENT,
NEW and OLD; recent mail arriving while a folder is selected."""
import imaplib
import re
import socket

import pytest

from mailcore.store.append import append

PASSWORD = "correct horse battery staple"


def message(subject: str) -> bytes:
    return f"Subject: {subject}\r\n\r\nbody of {subject}\r\n".encode()


@pytest.fixture
def two_new(alice):
    for subject in ("one", "two"):
        append(alice.pk, "INBOX", message(subject))


def login(imap_host) -> imaplib.IMAP4:
    client = imaplib.IMAP4("127.0.0.1", imap_host.ports["imap"], timeout=10)
    client.login("alice@example.test", PASSWORD)
    return client


def flags_of(client, numbers: str) -> list[bytes]:
    typ, data = client.fetch(numbers, "(FLAGS)")
    assert typ == "OK"
    return [line for line in data if line]


class Raw:
    """A line-level client, to see which untagged responses come and in what order."""

    def __init__(self, port: int):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.reader = self.sock.makefile("rb")
        self.reader.readline()
        self.command(b'a LOGIN alice@example.test "' + PASSWORD.encode() + b'"')

    def command(self, line: bytes) -> list[bytes]:
        self.sock.sendall(line + b"\r\n")
        tag = line.split(b" ", 1)[0]
        lines = []
        while True:
            reply = self.reader.readline()
            assert reply, "the server closed the connection"
            lines.append(reply.rstrip(b"\r\n"))
            if reply.startswith(tag + b" "):
                assert reply.startswith(tag + b" OK"), reply
                return lines

    def close(self):
        self.sock.close()


@pytest.fixture
def raw(imap_host):
    clients = []

    def connect() -> Raw:
        clients.append(Raw(imap_host.ports["imap"]))
        return clients[-1]

    yield connect
    for client in clients:
        client.close()


def test_rfc3501_2_3_2_recent_is_seen_by_one_session_only(two_new, imap_host):
    first, second = login(imap_host), login(imap_host)
    first.select("INBOX")
    assert first.untagged_responses["RECENT"] == [b"2"]
    assert flags_of(first, "1:2") == [b"1 (FLAGS (\\Recent))", b"2 (FLAGS (\\Recent))"]
    second.select("INBOX")
    assert second.untagged_responses["RECENT"] == [b"0"]
    assert flags_of(second, "1:2") == [b"1 (FLAGS ())", b"2 (FLAGS ())"]
    assert flags_of(first, "1") == [b"1 (FLAGS (\\Recent))"]  # still recent where it was first seen
    first.select("INBOX")  # a later session, even the same connection again: never recent again
    assert first.untagged_responses["RECENT"] == [b"0"]
    first.logout()
    second.logout()


def test_rfc3501_6_3_2_examine_shows_recent_and_status_counts_what_no_session_claimed(two_new, imap_host):
    client = login(imap_host)
    client.select("INBOX", readonly=True)
    assert client.untagged_responses["RECENT"] == [b"2"]
    client.close()
    assert client.status("INBOX", "(MESSAGES RECENT)")[1] == [b"INBOX (MESSAGES 2 RECENT 2)"]
    client.select("INBOX")
    assert client.untagged_responses["RECENT"] == [b"2"]
    client.close()
    assert client.status("INBOX", "(RECENT)")[1] == [b"INBOX (RECENT 0)"]
    client.logout()


def test_rfc3501_7_3_2_mail_arriving_while_selected_is_recent_in_the_session_that_sees_it(alice, two_new, raw):
    watching = raw()
    assert b"* 2 RECENT" in watching.command(b"s SELECT INBOX")
    append(alice.pk, "INBOX", message("three"))
    lines = watching.command(b"n NOOP")
    assert lines[:2] == [b"* 3 EXISTS", b"* 3 RECENT"]
    assert watching.command(b"f FETCH 3 FLAGS")[0] == b"* 3 FETCH (FLAGS (\\Recent))"
    later = raw()
    assert b"* 0 RECENT" in later.command(b"s SELECT INBOX")


def test_rfc3501_6_4_4_search_recent_new_and_old(alice, two_new, imap_host):
    client = login(imap_host)
    client.select("INBOX")
    append(alice.pk, "INBOX", message("three"))  # not yet seen by this session: not in its view
    client.store("1", "+FLAGS", "(\\Seen)")
    assert client.search(None, "RECENT") == ("OK", [b"1 2"])
    assert client.search(None, "NEW") == ("OK", [b"2"])  # recent and unseen
    assert client.search(None, "OLD") == ("OK", [b""])
    client.noop()
    assert client.search(None, "RECENT") == ("OK", [b"1 2 3"])
    other = login(imap_host)
    other.select("INBOX")
    assert other.search(None, "OLD") == ("OK", [b"1 2 3"])
    assert other.search(None, "OR RECENT NEW") == ("OK", [b""])
    client.logout()
    other.logout()


def test_rfc3501_2_3_2_store_cannot_set_or_clear_recent(two_new, imap_host):
    client = login(imap_host)
    client.select("INBOX")
    for change in ("+FLAGS", "-FLAGS"):
        with pytest.raises(imaplib.IMAP4.error, match="cannot be set"):
            client.store("1", change, "(\\Recent)")
    typ, data = client.store("1", "FLAGS", "(\\Seen)")  # replacing all flags keeps \Recent
    assert (typ, data) == ("OK", [b"1 (FLAGS (\\Seen \\Recent))"])
    client.logout()


def test_rfc3501_6_4_7_copy_reports_recent_copies_to_the_session_that_has_the_target(alice, two_new, raw):
    copying, watching = raw(), raw()
    copying.command(b"s SELECT INBOX")
    copying.command(b"k STORE 1 FLAGS (\\Seen $Work)")
    watching.command(b"c CREATE Work")
    watching.command(b"s SELECT Work")
    copying.command(b"c COPY 1:2 Work")
    assert watching.command(b"n NOOP")[:2] == [b"* 2 EXISTS", b"* 2 RECENT"]
    lines = watching.command(b"f FETCH 1:2 FLAGS")
    assert lines[0] == b"* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Work)"  # before it is used
    assert lines[2:4] == [b"* 1 FETCH (FLAGS (\\Seen \\Recent $Work))", b"* 2 FETCH (FLAGS (\\Recent))"]


def test_rfc3501_6_4_7_copy_into_the_selected_folder_reports_exists_and_recent(two_new, raw):
    client = raw()
    client.command(b"s SELECT INBOX")
    lines = client.command(b"c COPY 1 INBOX")
    assert lines[:2] == [b"* 3 EXISTS", b"* 3 RECENT"]
    assert re.fullmatch(rb"c OK \[COPYUID \d+ 1 3\] COPY completed", lines[-1])


def test_rfc6851_3_3_move_into_the_selected_folder_gives_a_new_uid(alice, two_new, raw):
    client = raw()
    client.command(b"s SELECT INBOX")
    lines = client.command(b"m MOVE 1 INBOX")
    assert re.fullmatch(rb"\* OK \[COPYUID \d+ 1 3\] Moved", lines[0])
    assert lines[1:3] == [b"* 1 EXPUNGE", b"* 2 EXISTS"]
    assert client.command(b"f FETCH 1:2 UID")[:2] == [b"* 1 FETCH (UID 2)", b"* 2 FETCH (UID 3)"]


SYSTEM = b"\\Answered \\Flagged \\Deleted \\Seen \\Draft"


def test_rfc3501_7_2_6_a_keyword_is_in_flags_before_any_fetch_shows_it(two_new, raw):
    reader, writer = raw(), raw()
    assert b"* FLAGS (" + SYSTEM + b")" in reader.command(b"s SELECT INBOX")
    writer.command(b"s SELECT INBOX")
    # This session's own STORE: FLAGS and PERMANENTFLAGS first, then the FETCH.
    assert writer.command(b"k STORE 1 +FLAGS ($Later)")[:3] == [
        b"* FLAGS (" + SYSTEM + b" $Later)",
        b"* OK [PERMANENTFLAGS (" + SYSTEM + b" $Later \\*)] Flags allowed",
        b"* 1 FETCH (FLAGS ($Later))"]
    # Another session's change, seen by this session's FETCH before any update.
    lines = reader.command(b"f FETCH 1 FLAGS")
    assert lines[0] == b"* FLAGS (" + SYSTEM + b" $Later)"
    assert lines[2] == b"* 1 FETCH (FLAGS (\\Recent $Later))"
    # ... and reported at NOOP.
    writer.command(b"k STORE 2 +FLAGS ($Soon)")
    lines = reader.command(b"n NOOP")
    assert lines[0] == b"* FLAGS (" + SYSTEM + b" $Later $Soon)"
    assert lines[3] == b"* 2 FETCH (FLAGS (\\Recent $Soon))"
    # A later session hears of every keyword in use when it opens the folder.
    lines = raw().command(b"e EXAMINE INBOX")
    assert b"* FLAGS (" + SYSTEM + b" $Later $Soon)" in lines
    assert b"* OK [PERMANENTFLAGS ()] Flags allowed" in lines


def test_rfc3501_7_2_6_keywords_of_appended_mail_are_announced_before_fetch(alice, raw):
    client = raw()
    client.command(b"s SELECT INBOX")
    append(alice.pk, "INBOX", message("tagged"), flags=["$Invoice"])
    assert client.command(b"n NOOP")[:2] == [b"* 1 EXISTS", b"* 1 RECENT"]
    lines = client.command(b"f FETCH 1 FLAGS")
    assert lines[0] == b"* FLAGS (" + SYSTEM + b" $Invoice)"
    assert lines[2] == b"* 1 FETCH (FLAGS (\\Recent $Invoice))"
    assert len([line for line in client.command(b"g FETCH 1 FLAGS") if line.startswith(b"* FLAGS")]) == 0
