"""Messages for the outbound tests (CRLF line endings, as the store keeps them)."""


def message(subject="Hello", body="Hi there.\r\n", *, headers="", sender="alice@example.test") -> bytes:
    return (f"From: Alice <{sender}>\r\nTo: Bob <bob@example.net>\r\nSubject: {subject}\r\n"
            f"Date: Mon, 02 Nov 2026 10:00:00 +0000\r\nMessage-ID: <{abs(hash(subject))}@example.test>\r\n"
            f"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n{headers}\r\n{body}").encode()
