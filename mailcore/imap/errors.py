"""One exception per kind of IMAP reply (RFC 9051 §7.1), raised anywhere in a command and
turned into the tagged reply at the top of the dispatcher."""


class ImapError(Exception):
    kind = "NO"

    def __init__(self, text: str, code: str | None = None):
        super().__init__(text)
        self.text = text
        self.code = code  # a response code such as "TRYCREATE" or "TOOBIG", without brackets

    def reply(self, tag: str) -> bytes:
        code = f"[{self.code}] " if self.code else ""
        return f"{tag} {self.kind} {code}{self.text}\r\n".encode()


class ImapNo(ImapError):
    """The command was understood and failed (RFC 9051 §7.1.2)."""

    kind = "NO"


class ImapBad(ImapError):
    """The command was not understood: syntax, unknown command, wrong state (RFC 9051 §7.1.3)."""

    kind = "BAD"


class ImapBye(ImapError):
    """The server closes the connection (RFC 9051 §7.1.5)."""

    kind = "BYE"

    def reply(self, tag: str = "*") -> bytes:
        code = f"[{self.code}] " if self.code else ""
        return f"* BYE {code}{self.text}\r\n".encode()
