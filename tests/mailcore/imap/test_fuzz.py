"""Random and mutated commands in every state: the server always keeps answering."""
import socket

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mailcore.store.append import append
from mailcore.store.models import Message

PASSWORD = "correct horse battery staple"
TOKENS = [b"FETCH", b"UID", b"STORE", b"SEARCH", b"SELECT", b"LIST", b"APPEND", b"COPY", b"MOVE", b"STATUS", b"IDLE",
          b"LOGIN", b"AUTHENTICATE", b"ENABLE", b"EXPUNGE", b"1:*", b"*", b"0", b"4294967296", b"(", b")", b"[", b"]",
          b"BODY[", b"BODY.PEEK[HEADER.FIELDS (", b"<0.10>", b'"', b"\\", b"{5}", b"{99999999999}", b"NIL", b"INBOX",
          b"\\Seen", b"+FLAGS", b"OR", b"NOT", b"CHARSET", b"\xff", b"\x00", b" ", b"%", b"&", b"-"]
line = st.lists(st.one_of(st.sampled_from(TOKENS), st.binary(max_size=6)), max_size=12).map(lambda ts: b" ".join(ts))


class Session:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.reader = self.sock.makefile("rb")
        self.reader.readline()

    def send(self, data: bytes, tag: bytes) -> bytes:
        self.sock.sendall(data + b"\r\n")
        while True:
            reply = self.reader.readline()
            assert reply, "the server closed the connection"
            if reply.startswith(tag + b" ") or reply.startswith(b"+ "):
                return reply


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(line, min_size=1, max_size=4), state=st.sampled_from(["fresh", "authenticated", "selected"]))
def test_the_server_keeps_answering(alice, imap_host, lines, state):
    if not Message.objects.filter(account=alice).exists():  # the examples share one database
        append(alice.pk, "INBOX", b"Subject: fuzz\r\n\r\nbody\r\n")
    session = Session(imap_host.ports["imap"])
    try:
        if state != "fresh":
            assert session.send(b'a LOGIN alice@example.test "' + PASSWORD.encode() + b'"', b"a").startswith(b"a OK")
        if state == "selected":
            assert session.send(b"b SELECT INBOX", b"b").startswith(b"b OK")
        for index, data in enumerate(lines):
            tag = b"f%d" % index
            reply = session.send(tag + b" " + data.replace(b"\r", b"").replace(b"\n", b""), tag)
            if reply.startswith(b"+ "):  # a literal or IDLE is waiting: end it
                session.sock.sendall(b"DONE\r\n")
                session.reader.readline()
        assert session.send(b"z NOOP", b"z").startswith(b"z OK")
    finally:
        session.sock.close()
