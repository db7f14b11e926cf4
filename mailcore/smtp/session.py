"""The SMTP protocol object: aiosmtpd's, with what a public mail server needs added.

- EHLO advertises PIPELINING and ENHANCEDSTATUSCODES (RFC 2920, RFC 2034), which
  aiosmtpd implements but does not announce, and AUTH only where it may be used.
- "Secure" means TLS, by STARTTLS or implicit (aiosmtpd only knows the former), or a
  loopback client when HOPTHU_LOOPBACK_IS_SECURE (as Dovecot does for 127.0.0.1).
- AUTH before TLS is refused with 538 (RFC 4954 §4); on the MX port it is not offered.
- An unexpected error answers 451 without its text (aiosmtpd would send the exception
  message to the client) and the session goes on.
- The SIZE limit is of the message without its transparency dots (RFC 1870 §3), which
  aiosmtpd counts: see smtp_DATA.
"""
import logging
import re

from aiosmtpd.smtp import SMTP
from django.conf import settings

from mailcore.service.connlimit import ConnectionCounter, client_key, total_limit
from mailcore.service.disabled import account_disabled
from mailcore.service.peers import is_secure
from mailcore.service.proxied import came_over_tls

log = logging.getLogger(__name__)
# SMTP's own count: a busy office's IMAP connections must not use up its MX allowance.
SMTP_CONNECTIONS = ConnectionCounter()
# "<local@domain>" as nearly every client sends it: a dot-atom local part (RFC 5322 §3.2.3)
# and an LDH domain (RFC 5321 §4.1.2), then the parameters after one space or tab.
_PLAIN_PATH = re.compile(r"<([A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                         r"@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)>[ \t]*")


_ENHANCED = re.compile(r"\d{3}[ -][245]\.\d{1,3}\.\d{1,3}(?: |$)")
# RFC 2034 §3 / RFC 3463: the enhanced code of aiosmtpd's own replies, which carry none.
_ENHANCED_BY_CODE = {"500": "5.5.2", "501": "5.5.4", "502": "5.5.1", "503": "5.5.1", "504": "5.5.4",
                     "552": "5.3.4", "553": "5.1.3", "555": "5.5.4", "530": "5.7.0", "454": "4.7.0",
                     "451": "4.3.0", "452": "4.3.1", "421": "4.3.0", "251": "2.1.5"}
_NO_ENHANCED = ("334", "354")  # RFC 4954 challenges and the DATA go-ahead are not statuses


def wire_size_limit(message_size_limit: int) -> int:
    """The most octets a message of message_size_limit octets can take on the wire in DATA:
    RFC 5321 §4.5.2 doubles a line's leading ".", and the shortest line that starts with
    one, ".\r\n", grows from 3 octets to 4."""
    return message_size_limit + (message_size_limit + 2) // 3


def with_enhanced_code(line: str) -> str:
    """line with an RFC 3463 enhanced status code after its reply code, if it had none."""
    code = line[:3]
    if not code.isdigit() or code in _NO_ENHANCED or _ENHANCED.match(line):
        return line
    enhanced = _ENHANCED_BY_CODE.get(code, f"{code[0]}.0.0")
    separator, text = line[3:4] or " ", line[4:]
    return f"{code}{separator}{enhanced} {text}".rstrip()


class MailSession(SMTP):
    # RFC 5321 §4.5.3.1.6 allows 1,000 octets per line, but real mail (HTML from many
    # mailers) has longer ones and Postfix accepts them; 64 KiB still bounds hostile input.
    line_length_limit = 65536

    def __init__(self, handler, *, mode: str, implicit_tls: bool, sessions: set | None = None, **kwargs):
        self.mode = mode  # "mx", "submission", "submissions" or "relay"
        self.implicit_tls = implicit_tls
        self._sessions = sessions if sessions is not None else set()  # the listener's open sessions
        self._slot: str | None = None  # the client address whose connection slot we hold
        self._refused = False
        # We enforce TLS-before-AUTH ourselves: aiosmtpd can't see implicit TLS.
        super().__init__(handler, auth_require_tls=False, **kwargs)
        # What EHLO advertises as SIZE and MAIL's SIZE= is held to (aiosmtpd reads
        # data_size_limit for both); the handler holds the data to it (handler.py).
        self.message_size_limit = self.data_size_limit
        # aiosmtpd dispatches each command through this table (1.4.6): every command of a
        # submission session first checks that its account is still enabled (issue 16).
        self._smtp_methods = {name: self._while_enabled(method) for name, method in self._smtp_methods.items()}

    async def push(self, status) -> None:
        """RFC 2034 §3: once ENHANCEDSTATUSCODES is advertised, every reply but the greeting
        and the answer to EHLO/HELO carries an enhanced code; aiosmtpd's own replies
        ("503 Error: nested MAIL command", "221 Bye", ...) have none, so add it here."""
        if isinstance(status, str) and self._enhanced_codes:
            status = with_enhanced_code(status)
        await super().push(status)

    @property
    def _enhanced_codes(self) -> bool:
        # The greeting comes before EHLO, and EHLO's own answer is exempt.
        return self.session is not None and self.session.host_name is not None and not self._in_helo

    _in_helo = False

    async def smtp_EHLO(self, hostname: str) -> None:
        self._in_helo = True
        try:
            await super().smtp_EHLO(hostname)
        finally:
            self._in_helo = False

    async def smtp_HELO(self, hostname: str) -> None:
        self._in_helo = True
        try:
            await super().smtp_HELO(hostname)
        finally:
            self._in_helo = False

    def _while_enabled(self, method):
        async def command(arg):
            if await self._account_disabled():
                log.info("closing the SMTP session of %s: its account is disabled", self.client_ip())
                await self.push(f"421 4.7.0 {settings.HOPTHU_HOSTNAME} This account is disabled; closing the "
                                "connection")
                self.transport.close()  # RFC 5321 §3.8: 421, then the server closes
                return
            await method(arg)

        return command

    async def _account_disabled(self) -> bool:
        """A submission session's account (or its domain) disabled since AUTH; the relay
        port's sessions hold relay tokens, not accounts."""
        if self.mode not in ("submission", "submissions") or self.session is None \
                or not self.session.authenticated:
            return False
        return await account_disabled(self.event_handler.host, self.session.auth_data)

    @property
    def offers_auth(self) -> bool:
        return self.mode != "mx"

    @property
    def uses_tls(self) -> bool:
        return self.implicit_tls or self._tls_protocol is not None

    @property
    def is_secure(self) -> bool:
        return is_secure(self.uses_tls, self.client_ip())

    def connection_made(self, transport) -> None:
        """Count the client's connections (HOPTHU_SMTP_MAX_CONNECTIONS_PER_IP, as Postfix's
        smtpd_client_connection_count_limit); over the limit, 421 and close (RFC 5321
        §3.8). STARTTLS calls this again for the same connection: counted once."""
        if came_over_tls(transport):  # a proxy ended the client's TLS (service/proxied.py)
            self.implicit_tls, self.tls_context = True, None
        if self._slot is None and not self._refused:
            peer = transport.get_extra_info("peername")
            key = client_key(peer[0] if isinstance(peer, tuple) else None)
            refusal = SMTP_CONNECTIONS.acquire(key, settings.HOPTHU_SMTP_MAX_CONNECTIONS_PER_IP, total_limit())
            if refusal is not None:
                self._refused = True
                log.info("refused an SMTP connection from %s: %s", key, refusal)
                transport.write(f"421 4.7.0 {settings.HOPTHU_HOSTNAME} {refusal}\r\n".encode())
                transport.close()
                return
            self._slot = key
            self._sessions.add(self)
        super().connection_made(transport)

    def connection_lost(self, error) -> None:
        if self._refused:
            return  # aiosmtpd never started this session
        self._sessions.discard(self)
        if self._slot is not None:
            SMTP_CONNECTIONS.release(self._slot)
            self._slot = None
        super().connection_lost(error)

    def shut_down(self) -> None:
        """The listener is closing: 421 and close (RFC 5321 §3.8)."""
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(f"421 4.3.2 {settings.HOPTHU_HOSTNAME} Service shutting down\r\n".encode())
            self.transport.close()

    def _getaddr(self, arg: str):
        """MAIL FROM/RCPT TO's path: a plain <local@domain> is read here, anything else by
        aiosmtpd (the email package's RFC 5322 parser, which builds a class per call and
        cost a tenth of the MX's time under load). Same answers: test_session_paths.py."""
        match = _PLAIN_PATH.match(arg)
        if match is None or arg.startswith("(", match.end()):  # a comment: CFWS is the parser's
            try:
                return super()._getaddr(arg)
            except Exception:  # the parser trips on some junk ('MAIL FROM:"', '<9@[')
                return None, None  # aiosmtpd then answers 553 5.1.3 malformed address
        address = match.group(1)
        if self.local_part_limit and len(address.rpartition("@")[0]) > self.local_part_limit:
            return None, None
        return address, arg[match.end():]

    async def smtp_DATA(self, arg: str) -> None:
        """DATA, its size measured as RFC 1870 §3 and §6 say: the message's octets, CRLFs
        included, without the dots added for transparency (RFC 5321 §4.5.2) or the final
        ".". aiosmtpd counts the octets on the wire, dots and all, and would refuse a
        message within the limit that has many lines starting with "."; so while it reads,
        it is allowed what the largest such message can take on the wire, and the
        handler refuses what is over the limit once the dots are gone (552 5.3.4)."""
        limit = self.message_size_limit
        self.data_size_limit = wire_size_limit(limit) if limit else limit
        try:
            await super().smtp_DATA(arg)
        finally:
            self.data_size_limit = limit

    async def smtp_RCPT(self, arg: str) -> None:
        """RCPT, then the end of the session if the handler gave up on the client (a 421
        after too many refused recipients, smtp/refusals.py; RFC 5321 §3.8)."""
        await super().smtp_RCPT(arg)
        if getattr(self.session, "hopthu_close", False) and self.transport is not None:
            self.transport.close()

    async def smtp_VRFY(self, arg: str) -> None:
        """RFC 5321 §3.5.3, §7.3: 252 for any name, so VRFY discloses no mailbox. aiosmtpd
        would answer an unparsable name with "502 Could not VRFY <name>", echoing up to a
        whole command line past the 512-octet reply limit (§4.5.3.1.5)."""
        if not arg:
            await self.push("501 5.5.4 Syntax: VRFY <address>")
            return
        await self.push("252 2.0.0 Cannot VRFY user, but will accept message and attempt delivery")

    async def smtp_AUTH(self, arg: str) -> None:
        if not self.offers_auth:
            await self.push("502 5.5.1 AUTH is not available on this port; use submission")
            return
        if not self.is_secure:
            await self.push("538 5.7.11 Encryption required for requested authentication mechanism")
            return
        await super().smtp_AUTH(arg)

    async def handle_exception(self, error: Exception) -> str:
        log.exception("SMTP session %r failed", self.session.peer if self.session else None)
        return "451 4.3.0 Internal error; please try again later"

    def client_ip(self) -> str | None:
        peer = self.session.peer if self.session else None
        return peer[0] if peer else None

    def tls_description(self) -> str | None:
        if not self.uses_tls or self.transport is None:
            return None
        ssl_object = self.transport.get_extra_info("ssl_object")
        if ssl_object is None:
            return "TLS"
        cipher = ssl_object.cipher()
        return f"{ssl_object.version()} with cipher {cipher[0]}" if cipher else ssl_object.version()
