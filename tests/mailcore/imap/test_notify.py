"""NOTIFY (RFC 5465): one session asks to be told of events, other sessions (imaplib over
the real listener, or delivery through the store) append, expunge, flag, create, rename,
delete and (un)subscribe, and the first session hears of it while it waits, in IDLE and
at NOOP, as it asked and no more."""
import imaplib
import select
import socket
import time

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mailcore.delivery.models import MailRule
from mailcore.store.append import append
from mailcore.store.folders import create_folder
from mailcore.store.messages import expunge, store_flags
from mailcore.store.models import Folder

PASSWORD = "correct horse battery staple"
MESSAGE = b"From: bob@example.net\r\nSubject: hello\r\n\r\nbody\r\n"
WAIT = 4.0  # the watcher polls every half second; a loaded machine is slower


class Listener:
    """The session that sent NOTIFY: reads every line the server sends, with or without
    a command of its own running."""

    def __init__(self, port: int):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.buffer = b""
        self.count = 0
        self.line()  # greeting
        assert self.command(f'LOGIN alice@example.test "{PASSWORD}"')[-1].split()[1] == b"OK"

    def line(self, timeout: float = 10) -> bytes | None:
        end = time.monotonic() + timeout
        while b"\r\n" not in self.buffer:
            left = end - time.monotonic()
            if left <= 0 or not select.select([self.sock], [], [], left)[0]:
                return None
            data = self.sock.recv(65536)
            assert data, "the server closed the connection"
            self.buffer += data
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line

    def command(self, text: str | bytes) -> list[bytes]:
        """Every line up to and with the tagged reply."""
        self.count += 1
        tag = b"n%d" % self.count
        self.sock.sendall(tag + b" " + (text.encode() if isinstance(text, str) else text) + b"\r\n")
        lines = []
        while True:
            line = self.line()
            assert line is not None, f"no reply to {text!r}; got {lines}"
            lines.append(line)
            if line.startswith(tag + b" "):
                return lines

    def events(self, count: int, timeout: float = WAIT) -> list[bytes]:
        """The next `count` lines sent without a command."""
        lines = []
        end = time.monotonic() + timeout
        while len(lines) < count:
            line = self.line(max(0.0, end - time.monotonic()))
            assert line is not None, f"expected {count} lines, got {lines}"
            lines.append(line)
        return lines

    def quiet(self, seconds: float = 1.5):
        """Nothing arrives for a while (longer than the watcher's poll)."""
        line = self.line(seconds)
        assert line is None, f"unexpected {line!r}"

    def close(self):
        self.sock.close()


@pytest.fixture
def listener(imap_host, alice):
    client = Listener(imap_host.ports["imap"])
    yield client
    client.close()


@pytest.fixture
def work(alice):
    create_folder(alice.pk, "Work", subscribe=False)


@pytest.fixture
def other(imap_host, alice):
    """Another client of the same account."""
    client = imaplib.IMAP4("127.0.0.1", imap_host.ports["imap"], timeout=10)
    client.login("alice@example.test", PASSWORD)
    yield client
    client.logout()


def uidvalidity(alice, name: str) -> int:
    return Folder.objects.get(account=alice, name=name).uidvalidity


def ok(lines) -> bool:
    return lines[-1].split()[1] == b"OK"


# --- The command ------------------------------------------------------------------------------

def test_rfc5465_3_notify_is_advertised(listener):
    assert b"NOTIFY" in listener.command("CAPABILITY")[0].split()


def test_rfc5465_3_1_status_indicator_sends_a_status_per_watched_folder_before_ok(alice, listener):
    create_folder(alice.pk, "Work/Sub", subscribe=False)
    append(alice.pk, "Work", MESSAGE)
    work, sub = uidvalidity(alice, "Work"), uidvalidity(alice, "Work/Sub")
    lines = listener.command("NOTIFY SET STATUS (SUBTREE Work (MessageNew MessageExpunge))")
    assert lines[:-1] == [b"* STATUS Work (MESSAGES 1 UIDNEXT 2 UIDVALIDITY %d UNSEEN 1)" % work,
                          b"* STATUS Work/Sub (MESSAGES 0 UIDNEXT 1 UIDVALIDITY %d UNSEEN 0)" % sub]
    assert ok(lines)
    # §3.1: FlagChange asks for UIDVALIDITY and HIGHESTMODSEQ (the server has CONDSTORE).
    lines = listener.command("NOTIFY SET STATUS (MAILBOXES Work (FlagChange))")
    assert lines[0].startswith(b"* STATUS Work (") and b"UIDVALIDITY %d" % work in lines[0]
    assert b"HIGHESTMODSEQ" in lines[0] and ok(lines)
    # No STATUS indicator, no STATUS; and never one for the selected folder.
    assert listener.command("NOTIFY SET (SUBTREE Work (MessageNew MessageExpunge))")[0].startswith(b"n")
    listener.command("SELECT Work")
    lines = listener.command("NOTIFY SET STATUS (SUBTREE Work (MessageNew MessageExpunge))")
    assert [line for line in lines if line.startswith(b"* STATUS")] == [
        b"* STATUS Work/Sub (MESSAGES 0 UIDNEXT 1 UIDVALIDITY %d UNSEEN 0)" % sub]


def test_rfc5465_3_1_unsupported_events_are_no_badevent_listing_the_supported(listener):
    supported = b"[BADEVENT (MessageNew MessageExpunge FlagChange MailboxName SubscriptionChange)]"
    for events in ("MessageNew MessageExpunge AnnotationChange", "MailboxMetadataChange", "ServerMetadataChange",
                   "MessageNew MessageExpunge X-Frobnicate"):
        reply = listener.command(f"NOTIFY SET (PERSONAL ({events}))")[-1]
        assert reply.split()[1] == b"NO" and supported in reply, reply
    assert ok(listener.command("NOOP"))


@pytest.mark.parametrize("arguments", [
    "SET (SELECTED (MessageNew))",  # §5: MessageNew and MessageExpunge go together
    "SET (SELECTED-DELAYED (MessageExpunge))",
    "SET (SELECTED (FlagChange))",  # §5: FlagChange needs both
    "SET (SELECTED (MessageNew MessageExpunge)) (SELECTED-DELAYED NONE)",  # §6.1: one of them
    "SET (SELECTED (MailboxName))",  # §6.1: message events only
    "SET (PERSONAL ())",
    "SET (PERSONAL MessageNew)",
    "SET (BOGUS (MessageNew MessageExpunge))",
    "SET (SUBTREE (MessageNew MessageExpunge))",
    "SET (MAILBOXES () (MessageNew MessageExpunge))",
    "SET (SELECTED (MessageNew () MessageExpunge))",
    "SET (SELECTED (MessageNew (NOSUCHITEM) MessageExpunge))",
    "SET STATUS",
    "SET",
    "NONE extra",
    "",
    "SET (PERSONAL (MessageNew MessageExpunge)) ",
    "SET " + "(" * 200,
])
def test_rfc5465_8_malformed_notify_is_bad_and_the_session_goes_on(listener, arguments):
    reply = listener.command(f"NOTIFY {arguments}")[-1]
    assert reply.split()[1] == b"BAD", reply
    assert ok(listener.command("NOOP"))


def test_rfc5465_3_1_too_many_mailbox_names_or_groups_is_notificationoverflow(listener):
    names = " ".join(f"f{i}" for i in range(101))
    reply = listener.command(f"NOTIFY SET (MAILBOXES ({names}) (MessageNew MessageExpunge))")[-1]
    assert reply.split()[1] == b"NO" and b"[NOTIFICATIONOVERFLOW]" in reply
    reply = listener.command("NOTIFY SET" + " (PERSONAL (MailboxName))" * 101)[-1]
    assert reply.split()[1] == b"NO" and b"[NOTIFICATIONOVERFLOW]" in reply
    assert ok(listener.command("NOTIFY SET" + " (PERSONAL (MailboxName))" * 100))


NOTIFY_TOKENS = [b"SET", b"NONE", b"STATUS", b"(", b")", b"SELECTED", b"SELECTED-DELAYED", b"PERSONAL", b"INBOXES",
                 b"SUBSCRIBED", b"SUBTREE", b"MAILBOXES", b"MessageNew", b"MessageExpunge", b"FlagChange",
                 b"AnnotationChange", b"MailboxName", b"SubscriptionChange", b"ServerMetadataChange", b"INBOX",
                 b'"a b"', b'"', b"UID", b"BODY.PEEK[HEADER]", b"BODY[", b"ALL", b"\xff", b"\x00", b"*", b"%", b"&"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(arguments=st.lists(st.one_of(st.sampled_from(NOTIFY_TOKENS), st.binary(max_size=4)), max_size=14))
def test_rfc5465_8_random_notify_arguments_never_break_the_session(listener, arguments):
    text = b" ".join(arguments).replace(b"\r", b"").replace(b"\n", b"").replace(b"{", b"")
    reply = listener.command(b"NOTIFY " + text)[-1]
    assert reply.split()[1] in (b"OK", b"NO", b"BAD"), reply
    assert ok(listener.command("NOOP"))


def test_rfc5465_3_1_events_of_other_folders_need_not_come_in_pairs(listener):
    # Dovecot accepts these (imaptest's notify group sends them); §5's pairing keeps the
    # selected folder's sequence numbers right, and a STATUS has none.
    assert ok(listener.command("NOTIFY SET (MAILBOXES INBOX (MessageExpunge))"))
    assert ok(listener.command("NOTIFY SET (PERSONAL (FlagChange)) (INBOXES (MessageNew))"))


# --- Other folders: STATUS between commands ---------------------------------------------------

def test_rfc5465_5_2_new_mail_in_another_folder_is_a_status_between_commands(alice, work, listener, other):
    assert ok(listener.command("NOTIFY SET (PERSONAL (MessageNew MessageExpunge))"))
    other.append("Work", None, None, MESSAGE)
    assert listener.events(1) == [b"* STATUS Work (MESSAGES 1 UIDNEXT 2 UNSEEN 1)"]
    append(alice.pk, "INBOX", MESSAGE)  # delivery: not an IMAP session at all
    assert listener.events(1) == [b"* STATUS INBOX (MESSAGES 1 UIDNEXT 2 UNSEEN 1)"]


def test_rfc5465_5_2_status_carries_highestmodseq_once_condstore_is_enabled(alice, work, listener, other):
    listener.command("ENABLE CONDSTORE")
    listener.command("NOTIFY SET (PERSONAL (MessageNew MessageExpunge))")
    other.append("Work", None, None, MESSAGE)
    modseq = Folder.objects.get(account=alice, name="Work").highestmodseq
    assert listener.events(1) == [b"* STATUS Work (MESSAGES 1 UIDNEXT 2 UNSEEN 1 HIGHESTMODSEQ %d)" % modseq]


def test_rfc5465_5_3_expunge_in_another_folder_is_a_status(alice, work, listener, other):
    for _ in range(2):
        append(alice.pk, "Work", MESSAGE)
    listener.command("NOTIFY SET (MAILBOXES Work (MessageExpunge))")
    other.select("Work")
    other.store("1", "+FLAGS", "\\Deleted")  # a flag change: not asked for
    listener.quiet()
    other.expunge()
    assert listener.events(1) == [b"* STATUS Work (MESSAGES 1 UIDNEXT 3 UNSEEN 1)"]


def test_rfc5465_5_1_flag_change_in_another_folder_is_status_with_uidvalidity_and_highestmodseq(
        alice, work, listener, other):
    append(alice.pk, "Work", MESSAGE)
    listener.command("NOTIFY SET (MAILBOXES Work (MessageNew MessageExpunge FlagChange))")
    other.select("Work")
    other.store("1", "+FLAGS", "\\Seen")
    modseq = Folder.objects.get(account=alice, name="Work").highestmodseq
    assert listener.events(1) == [
        b"* STATUS Work (UIDVALIDITY %d UNSEEN 0 HIGHESTMODSEQ %d)" % (uidvalidity(alice, "Work"), modseq)]


def test_rfc5465_5_events_not_asked_for_are_not_sent(alice, work, listener, other):
    append(alice.pk, "Work", MESSAGE)
    listener.command("NOTIFY SET (MAILBOXES Work (MessageNew MessageExpunge))")
    other.select("Work")
    other.store("1", "+FLAGS", "\\Flagged")  # FlagChange was not asked for
    other.create("Later")  # nor MailboxName
    listener.quiet()


# --- Which folders: the filters of §6 ---------------------------------------------------------

def test_rfc5465_6_5_subtree_covers_children_and_6_6_mailboxes_only_the_names(alice, listener, other):
    for name in ("Work/Sub", "Workshop", "Lists/a"):
        create_folder(alice.pk, name, subscribe=False)
    listener.command("NOTIFY SET (SUBTREE Work (MessageNew MessageExpunge)) "
                     "(MAILBOXES Lists (MessageNew MessageExpunge))")
    for name in ("Workshop", "Lists/a", "Work/Sub"):  # only the last is covered
        other.append(name, None, None, MESSAGE)
    assert listener.events(1) == [b"* STATUS Work/Sub (MESSAGES 1 UIDNEXT 2 UNSEEN 1)"]
    listener.quiet()


def test_rfc5465_5_none_keeps_a_folder_out_of_later_groups(alice, work, listener, other):
    create_folder(alice.pk, "Lists/a", subscribe=False)
    listener.command("NOTIFY SET (SUBTREE Lists NONE) (PERSONAL (MessageNew MessageExpunge))")
    other.append("Lists/a", None, None, MESSAGE)
    other.append("Work", None, None, MESSAGE)
    assert listener.events(1) == [b"* STATUS Work (MESSAGES 1 UIDNEXT 2 UNSEEN 1)"]
    listener.quiet()


def test_rfc5465_6_4_subscribed_follows_the_subscription_list(alice, work, listener, other):
    listener.command("NOTIFY SET (SUBSCRIBED (MessageNew MessageExpunge))")
    other.append("Work", None, None, MESSAGE)
    listener.quiet()
    other.subscribe("Work")
    other.append("Work", None, None, MESSAGE)
    assert listener.events(1) == [b"* STATUS Work (MESSAGES 2 UIDNEXT 3 UNSEEN 2)"]
    # And as NONE, it keeps the subscribed folders out of the groups after it.
    create_folder(alice.pk, "Unlisted", subscribe=False)
    listener.command("NOTIFY SET (SUBSCRIBED NONE) (PERSONAL (MessageNew MessageExpunge))")
    other.append("Work", None, None, MESSAGE)
    other.append("Unlisted", None, None, MESSAGE)
    assert listener.events(1) == [b"* STATUS Unlisted (MESSAGES 1 UIDNEXT 2 UNSEEN 1)"]
    listener.quiet()


def test_rfc5465_6_3_inboxes_are_where_delivery_files_mail(alice, work, listener, other):
    create_folder(alice.pk, "Receipts", subscribe=False)
    MailRule.objects.create(account=alice, name="Receipts", conditions=[
        {"field": "subject", "op": "contains", "value": "receipt"}], actions=[{"action": "move", "folder": "Receipts"}])
    listener.command("NOTIFY SET (INBOXES (MessageNew MessageExpunge))")
    for name in ("Work", "Receipts", "Junk"):
        other.append(name, None, None, MESSAGE)
    assert sorted(listener.events(2)) == [b"* STATUS Junk (MESSAGES 1 UIDNEXT 2 UNSEEN 1)",
                                          b"* STATUS Receipts (MESSAGES 1 UIDNEXT 2 UNSEEN 1)"]
    listener.quiet()


# --- The selected folder (§6.1) ---------------------------------------------------------------

def test_rfc5465_5_2_new_mail_in_the_selected_folder_is_exists_then_the_asked_for_fetch(alice, listener, other):
    append(alice.pk, "INBOX", MESSAGE)
    listener.command("SELECT INBOX")
    listener.command("NOTIFY SET (SELECTED (MessageNew (UID BODY.PEEK[HEADER.FIELDS (SUBJECT)] BODY[TEXT]) "
                     "MessageExpunge))")
    other.append("INBOX", None, None, b"Subject: second\r\n\r\nsecond body\r\n")
    lines = listener.events(3)
    assert lines[0] == b"* 2 EXISTS" and lines[1] == b"* 2 RECENT"
    assert lines[2] == b'* 2 FETCH (UID 2 BODY[HEADER.FIELDS (SUBJECT)] {19}'
    assert listener.events(2) == [b"Subject: second", b""]
    assert listener.events(3) == [b" BODY[TEXT] {13}", b"second body", b")"]
    # A notification is not the user reading: BODY[TEXT] left \Seen unset.
    assert b"FLAGS (\\Recent)" in listener.command("UID FETCH 2 FLAGS")[0]


def test_rfc5465_6_1_1_selected_sends_expunges_at_once(alice, listener, other):
    for _ in range(3):
        append(alice.pk, "INBOX", MESSAGE)
    listener.command("SELECT INBOX")
    listener.command("NOTIFY SET (SELECTED (MessageNew MessageExpunge))")
    other.select("INBOX")
    other.store("2", "+FLAGS", "\\Deleted")
    other.expunge()
    assert listener.events(1) == [b"* 2 EXPUNGE"]


def test_rfc5465_6_1_2_selected_delayed_holds_events_until_noop(alice, work, listener, other):
    for _ in range(2):
        append(alice.pk, "INBOX", MESSAGE)
    listener.command("SELECT INBOX")
    listener.command("NOTIFY SET (SELECTED-DELAYED (MessageNew (UID) MessageExpunge)) (MAILBOXES Work (MessageNew "
                     "MessageExpunge))")
    other.select("INBOX")
    other.store("1", "+FLAGS", "\\Deleted")
    other.expunge()
    other.append("INBOX", None, None, MESSAGE)
    other.append("Work", None, None, MESSAGE)
    # Other folders' events are not held; the selected folder's wait for NOOP.
    assert listener.events(1)[0].startswith(b"* STATUS Work ")
    listener.quiet()
    lines = listener.command("NOOP")[:-1]
    assert lines[:2] == [b"* 1 EXPUNGE", b"* 2 EXISTS"] and lines[-1] == b"* 2 FETCH (UID 3)"


def test_rfc5465_5_1_selected_flag_changes_only_with_flagchange(alice, listener, other):
    append(alice.pk, "INBOX", MESSAGE)
    listener.command("SELECT INBOX")
    listener.command("NOTIFY SET (SELECTED (MessageNew MessageExpunge))")
    other.select("INBOX")
    other.store("1", "+FLAGS", "\\Flagged")
    listener.quiet()
    assert listener.command("NOOP")[:-1] == []
    listener.command("NOTIFY SET (SELECTED (MessageNew MessageExpunge FlagChange))")
    other.store("1", "+FLAGS", "\\Answered")
    # §5.1: the FETCH carries UID and FLAGS.
    assert listener.events(1) == [b"* 1 FETCH (UID 1 FLAGS (\\Answered \\Flagged \\Recent))"]


def test_rfc5465_3_1_without_a_selected_group_the_selected_folder_is_silent(alice, listener, other):
    append(alice.pk, "INBOX", MESSAGE)
    listener.command("SELECT INBOX")
    listener.command("NOTIFY SET (MAILBOXES Work (MessageNew MessageExpunge))")
    other.append("INBOX", None, None, MESSAGE)
    listener.quiet()
    assert listener.command("NOOP")[:-1] == []  # same as SELECTED NONE
    # NOTIFY NONE: nothing at all, in IDLE neither (§4).
    listener.command("NOTIFY NONE")
    other.append("Work", None, None, MESSAGE)
    listener.sock.sendall(b"i IDLE\r\n")
    assert listener.line() == b"+ idling"
    listener.quiet()
    listener.sock.sendall(b"DONE\r\n")
    assert listener.line() == b"i OK IDLE terminated"
    # The client's view stayed as it was: one message.
    assert listener.command("FETCH 1:* UID")[:-1] == [b"* 1 FETCH (UID 1)"]


def test_rfc5465_5_3_vanished_once_qresync_is_enabled(alice, listener, other):
    for _ in range(2):
        append(alice.pk, "INBOX", MESSAGE)
    listener.command("ENABLE QRESYNC")
    listener.command("SELECT INBOX")
    listener.command("NOTIFY SET (SELECTED (MessageNew MessageExpunge))")
    other.select("INBOX")
    other.store("1", "+FLAGS", "\\Deleted")
    other.expunge()
    lines = listener.events(2)
    assert lines[0] == b"* VANISHED 1" and lines[1].startswith(b"* OK [HIGHESTMODSEQ ")


def test_rfc5465_3_1_notify_set_is_an_implicit_noop(alice, listener):
    listener.command("SELECT INBOX")
    append(alice.pk, "INBOX", MESSAGE)
    lines = listener.command("NOTIFY SET (SELECTED (MessageNew MessageExpunge))")
    assert lines[:-1] == [b"* 1 EXISTS", b"* 1 RECENT"]


# --- IDLE (§4) ----------------------------------------------------------------------------------

def test_rfc5465_4_idle_sends_exactly_the_notify_events(alice, work, listener, other):
    listener.command("SELECT INBOX")
    listener.command("NOTIFY SET (SELECTED-DELAYED (MessageNew MessageExpunge)) (MAILBOXES Work (MessageNew "
                     "MessageExpunge))")
    listener.sock.sendall(b"i IDLE\r\n")
    assert listener.line() == b"+ idling"
    other.append("INBOX", None, None, MESSAGE)  # SELECTED-DELAYED: IDLE allows it at once
    assert listener.events(2) == [b"* 1 EXISTS", b"* 1 RECENT"]
    other.append("Work", None, None, MESSAGE)
    assert listener.events(1) == [b"* STATUS Work (MESSAGES 1 UIDNEXT 2 UNSEEN 1)"]
    other.create("Elsewhere")  # MailboxName was not asked for
    listener.quiet()
    listener.sock.sendall(b"DONE\r\n")
    assert listener.line() == b"i OK IDLE terminated"


# --- Folder names and subscriptions (§5.4, §5.5) --------------------------------------------

def test_rfc5465_5_4_mailbox_name_create_rename_delete(alice, listener, other):
    listener.command("NOTIFY SET (PERSONAL (MailboxName))")
    other.create("Projects")
    assert listener.events(1) == [b'* LIST (\\HasNoChildren) "/" Projects']
    other.create("Projects/2026")
    assert listener.events(1) == [b'* LIST (\\HasNoChildren) "/" Projects/2026']
    other.rename("Projects", "Done")
    assert sorted(listener.events(2)) == [b'* LIST (\\HasChildren) "/" Done ("OLDNAME" (Projects))',
                                          b'* LIST (\\HasNoChildren) "/" Done/2026 ("OLDNAME" (Projects/2026))']
    other.delete("Done/2026")
    assert listener.events(1) == [b'* LIST (\\NonExistent) "/" Done/2026']


def test_rfc5465_5_5_subscription_change_is_list_with_subscribed_iff_subscribed(alice, work, listener, other):
    listener.command("NOTIFY SET (PERSONAL (SubscriptionChange))")
    other.subscribe("Work")
    assert listener.events(1) == [b'* LIST (\\HasNoChildren \\Subscribed) "/" Work']
    other.unsubscribe("Work")
    assert listener.events(1) == [b'* LIST (\\HasNoChildren) "/" Work']


def test_rfc5465_5_the_clients_own_changes_are_not_echoed(alice, listener, other):
    listener.command("NOTIFY SET (PERSONAL (MessageNew MessageExpunge MailboxName SubscriptionChange))")
    assert ok(listener.command("CREATE Mine/Deep"))
    assert ok(listener.command(f"APPEND Mine {{{len(MESSAGE)}+}}\r\n" + MESSAGE.decode()))
    assert ok(listener.command("SUBSCRIBE Mine"))
    assert ok(listener.command("RENAME Mine/Deep Mine/Deeper"))
    listener.command("SELECT INBOX")
    append(alice.pk, "INBOX", MESSAGE)
    listener.command("NOOP")  # not asked for the selected folder: nothing
    assert ok(listener.command("CLOSE"))  # INBOX stops being selected: what happened there was SELECTED's
    listener.quiet()
    other.append("Mine", None, None, MESSAGE)  # another client's change still arrives
    assert listener.events(1) == [b"* STATUS Mine (MESSAGES 2 UIDNEXT 3 UNSEEN 2)"]


# --- Overflow (§5.8) and cost ---------------------------------------------------------------------

def test_rfc5465_5_8_too_many_events_is_notificationoverflow_then_silence(alice, listener, monkeypatch):
    from mailcore.imap.commands import notifications

    monkeypatch.setattr(notifications, "MAX_EVENTS", 2)
    listener.command("NOTIFY SET (PERSONAL (MailboxName))")
    with transaction.atomic():  # seen in one read
        for name in ("One", "Two", "Three"):
            create_folder(alice.pk, name, subscribe=False)
    line = listener.events(1)[0]
    assert line.startswith(b"* OK [NOTIFICATIONOVERFLOW]")
    create_folder(alice.pk, "Four", subscribe=False)  # §5.8: as after NOTIFY NONE
    listener.quiet()
    assert listener.command("NOOP")[:-1] == []
    listener.command("NOTIFY SET (PERSONAL (MailboxName))")  # a new NOTIFY turns them on again
    create_folder(alice.pk, "Five", subscribe=False)
    assert listener.events(1) == [b'* LIST (\\HasNoChildren) "/" Five']


def test_notify_on_many_folders_reads_the_account_once_per_poll(alice, imap_host, listener, other, monkeypatch):
    """Sessions with NOTIFY on 60 folders cost one query per poll between them, and counts
    are read only for a folder that changed."""
    from mailcore.imap import watch
    from mailcore.imap.commands import notifications

    monkeypatch.setattr(watch, "NOTICED_POLL_SECONDS", watch.POLL_SECONDS)  # PostgreSQL: the timed poll too
    for i in range(60):
        create_folder(alice.pk, f"F{i:02d}", subscribe=False)
    reads, counted = [], []
    account_marks, folder_counts = watch.account_marks, notifications.folder_counts
    monkeypatch.setattr(watch, "account_marks",
                        lambda ids, subs=(): reads.append(list(ids)) or account_marks(ids, subs))
    monkeypatch.setattr(notifications, "folder_counts", lambda ids: counted.append(list(ids)) or folder_counts(ids))
    second = Listener(imap_host.ports["imap"])
    try:
        for client in (listener, second):
            client.command("NOTIFY SET (PERSONAL (MessageNew MessageExpunge FlagChange MailboxName))")
        reads.clear()
        counted.clear()
        time.sleep(3)
        assert 2 <= len(reads) <= 8  # one per half-second poll, for both sessions
        assert all(ids == [alice.pk] for ids in reads)
        assert counted == []
        other.append("F07", None, None, MESSAGE)
        listener.events(1)
        second.events(1)
        f07 = Folder.objects.get(account=alice, name="F07").pk
        assert counted == [[f07]]  # one read, shared by both sessions
    finally:
        second.close()


def test_rfc5465_5_events_from_store_changes_reach_a_waiting_client(alice, work, listener):
    """The webmail and delivery change the store directly; NOTIFY hears of them too."""
    append(alice.pk, "Work", MESSAGE)
    listener.command("NOTIFY SET (MAILBOXES Work (MessageNew MessageExpunge FlagChange))")
    with transaction.atomic():  # seen in one read
        store_flags(alice.pk, "Work", [1], ["\\Deleted"], mode="add")
        expunge(alice.pk, "Work")
    line = listener.events(1)[0]
    assert line.startswith(b"* STATUS Work (MESSAGES 0 UIDNEXT 2 UIDVALIDITY ")
