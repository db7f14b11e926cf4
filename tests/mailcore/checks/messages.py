"""Test messages for the inbound-check tests (imported by the test modules)."""

HOSTNAME = "mx.example.test"


def make_message(from_="Alice <alice@example.net>", body=b"Hello Bob,\r\n\r\nsee you at ten.\r\n", extra=b""):
    """A small message with CRLF line ends; extra is raw header lines added after From."""
    return (
        b"From: " + from_.encode() + b"\r\n" + extra
        + b"To: bob@example.test\r\nSubject: Meeting\r\nMessage-ID: <1@example.net>\r\n\r\n" + body
    )
