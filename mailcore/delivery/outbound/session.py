"""One SMTP client connection to one host: greeting, EHLO, the STARTTLS policy, transactions.

smtplib speaks the protocol (reply parsing, dot-stuffing per RFC 5321 §4.5.2); this
module decides what to send and turns every reply into a Result. A failure that makes
the host unusable (no connection, a 421, a lost connection, TLS required but missing)
raises HostFailure, and the client moves on to the next host.
"""
import contextlib
import re
import smtplib
import socket
import ssl
from dataclasses import dataclass

import idna
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from .mta_sts import verified_context
from .mx import Host
from .result import DeliveryError, Result, from_reply, permanent, temporary

# Postfix's smtp_tls_security_level names; "verify" (STARTTLS with a certificate valid for
# the MX name) is what an MTA-STS policy in enforce mode asks for (RFC 8461 §4.2).
TLS_POLICIES = ("may", "encrypt", "verify", "none")
REQUIRED = ("encrypt", "verify")
_LINE_END_RE = re.compile(rb"\r\n|\r|\n")


class HostFailure(DeliveryError):
    """This host cannot take mail now; try the next one.

    result_type: the TLS-RPT failure type (RFC 8460 §4.3) when TLS is why, else None.
    """

    def __init__(self, result: Result, result_type: str | None = None):
        super().__init__(result)
        self.result_type = result_type


@dataclass(frozen=True)
class ClientOptions:
    helo: str
    timeout: float
    tls: str

    @classmethod
    def from_settings(cls) -> "ClientOptions":
        tls = str(getattr(settings, "HOPTHU_OUTBOUND_TLS", "may")).lower()
        if tls not in TLS_POLICIES:
            raise ImproperlyConfigured(f"HOPTHU_OUTBOUND_TLS must be one of {', '.join(TLS_POLICIES)}, not {tls!r}.")
        return cls(helo=settings.HOPTHU_HOSTNAME, timeout=float(getattr(settings, "HOPTHU_OUTBOUND_TIMEOUT", 60)),
                   tls=tls)


class _SMTP(smtplib.SMTP):
    """smtplib.SMTP that connects to the address already chosen but knows the host by name.

    smtplib would resolve the name again (outside mailcore.dns), and it uses the name
    given to connect() as the TLS server name (SNI), which must be the MX name.
    """

    def __init__(self, address: str, **kwargs):
        self._address = address
        super().__init__(**kwargs)

    def _get_socket(self, host, port, timeout):
        self._host = host  # smtplib sets it only when __init__ connects; starttls() sends it as SNI
        return socket.create_connection((self._address, port), timeout, self.source_address)


def tls_context() -> ssl.SSLContext:
    """A client context that encrypts without verifying the server's certificate.

    RFC 7435 (opportunistic security) and Postfix's "may"/"encrypt" levels: most MX
    certificates would fail a check against the MX name, and an unverified encrypted
    session still beats plaintext against passive listeners.
    """
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


class Session:
    """A greeted (and, policy permitting, encrypted) connection; QUIT when leaving `with`."""

    def __init__(self, host: Host, client: _SMTP, tls: bool, tls_result: str | None = None):
        self.host = host
        self.client = client
        self.tls = tls
        # The TLS-RPT result of this session (RFC 8460 §4.3): "success", a failure type,
        # or None when STARTTLS was not tried (HOPTHU_OUTBOUND_TLS=none).
        self.tls_result = tls_result
        self.transactions = 0

    @classmethod
    def open(cls, host: Host, options: ClientOptions) -> "Session":
        """Connect, EHLO and STARTTLS as the policy says; raise HostFailure if the host is unusable."""
        try:
            return cls._open(host, options, options.tls)
        except _HandshakeFailed as failure:
            if options.tls != "may":
                raise HostFailure(failure.result, failure.result_type) from None
            # Postfix "may": a server whose TLS is broken still gets the mail in plaintext,
            # on a new connection since the failed handshake left the old one unusable.
            session = cls._open(host, options, "none")
            session.tls_result = failure.result_type
            return session

    @classmethod
    def _open(cls, host: Host, options: ClientOptions, policy: str) -> "Session":
        client = _SMTP(host.address, local_hostname=options.helo, timeout=options.timeout)
        try:
            code, message = client.connect(host.name, host.port)
            if code != 220:  # RFC 5321 §3.1: 554 (or 421) instead of a greeting: no service here
                raise HostFailure(from_reply(code, message, host.name))
            cls._greet(client, host)
            encrypted, tls_result = False, None
            if policy != "none":
                encrypted, tls_result = cls._starttls(client, host, policy)
            return cls(host, client, encrypted, tls_result)
        except (HostFailure, _HandshakeFailed):
            _close(client)
            raise
        except (smtplib.SMTPException, OSError) as error:
            _close(client)
            raise HostFailure(temporary("4.4.1", _("Cannot talk to %(host)s: %(error)s")
                                        % {"host": host, "error": _describe(error)}, host.name)) from None

    @staticmethod
    def _greet(client: _SMTP, host: Host):
        code, message = client.ehlo()
        if code != 250:  # RFC 5321 §4.1.4: fall back to HELO when EHLO is not understood
            code, message = client.helo()
            if code != 250:
                raise HostFailure(from_reply(code, message, host.name))

    @classmethod
    def _starttls(cls, client: _SMTP, host: Host, policy: str) -> tuple[bool, str]:
        """Whether the session is now encrypted, and its TLS-RPT result (RFC 8460 §4.3)."""
        if not client.has_extn("starttls"):
            if policy in REQUIRED:
                raise HostFailure(temporary("4.7.4", _("TLS is required, but %(host)s does not offer STARTTLS.")
                                            % {"host": host.name}, host.name), STARTTLS_NOT_SUPPORTED)
            return False, STARTTLS_NOT_SUPPORTED
        try:
            code, message = client.starttls(context=verified_context() if policy == "verify" else tls_context())
        except (smtplib.SMTPServerDisconnected, OSError) as error:
            # The handshake failed (the server often just drops the connection): the session is gone.
            raise _HandshakeFailed(temporary("4.7.5", _("Cannot start TLS with %(host)s: %(error)s")
                                             % {"host": host.name, "error": _describe(error)}, host.name),
                                   tls_failure_type(error)) from None
        if code != 220:
            if policy in REQUIRED:
                raise HostFailure(temporary("4.7.5", _("TLS is required, but %(host)s refused STARTTLS: %(reply)s")
                                            % {"host": host.name, "reply": from_reply(code, message).reply},
                                            host.name), STARTTLS_NOT_SUPPORTED)
            return False, STARTTLS_NOT_SUPPORTED  # the session is still in plaintext and usable (RFC 3207 §4)
        # RFC 3207 §4.2: forget what the server said before TLS and ask again.
        cls._greet(client, host)
        return True, SUCCESS

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        # The server may have gone away first; nothing is pending on a finished session.
        with contextlib.suppress(smtplib.SMTPException, OSError):
            self.client.quit()
        _close(self.client)

    def send(self, mail_from: str, recipients: list[str], raw: bytes) -> dict[str, Result]:
        """Run one mail transaction (RSET first if one ran before); return a Result per recipient."""
        try:
            if self.transactions:
                self._expect(*self.client.rset())  # RFC 5321 §4.1.1.5: a clean slate for the next message
            self.transactions += 1
            results = self._transaction(mail_from, recipients, _crlf(raw))
            return {recipient: results[recipient] for recipient in recipients}
        except (smtplib.SMTPServerDisconnected, smtplib.SMTPResponseException, OSError) as error:
            raise HostFailure(temporary("4.4.2", _("Lost connection with %(host)s: %(error)s")
                                        % {"host": self.host, "error": _describe(error)},
                                        self.host.name)) from None

    def _transaction(self, mail_from: str, recipients: list[str], raw: bytes) -> dict[str, Result]:
        client, host = self.client, self.host.name
        results: dict[str, Result] = {}
        utf8_offered = client.has_extn("smtputf8")
        wire_from, from_needs_utf8 = wire_address(mail_from)
        message_needs_utf8 = not raw.partition(b"\r\n\r\n")[0].isascii()  # RFC 6532 §3: UTF-8 headers
        if (message_needs_utf8 or from_needs_utf8) and not utf8_offered:
            return dict.fromkeys(recipients, _no_smtputf8(host))
        wire_rcpts = {}
        for recipient in recipients:
            wire, needs_utf8 = wire_address(recipient)
            if needs_utf8 and not utf8_offered:
                results[recipient] = _no_smtputf8(host)
            else:
                wire_rcpts[recipient] = (wire, needs_utf8)
        if not wire_rcpts:
            return results
        limit = _size_limit(client)
        if limit and len(raw) > limit:  # RFC 1870 §6.2: do not send what the server said it refuses
            too_big = permanent("5.3.4", _("The message is larger than %(host)s accepts (%(limit)d bytes).")
                                % {"host": host, "limit": limit}, host, code=552)
            return {**results, **dict.fromkeys(wire_rcpts, too_big)}
        options = []
        if client.has_extn("size"):
            options.append(f"SIZE={len(raw)}")  # RFC 1870 §6.1
        if not raw.isascii() and client.has_extn("8bitmime"):
            options.append("BODY=8BITMIME")  # RFC 6152 §3
        if utf8_offered and (message_needs_utf8 or from_needs_utf8 or any(n for _w, n in wire_rcpts.values())):
            options.append("SMTPUTF8")  # RFC 6531 §3.4
        code, message = self._expect(*client.mail(wire_from, options))
        if not 200 <= code < 300:
            return {**results, **dict.fromkeys(wire_rcpts, from_reply(code, message, host))}
        accepted = []
        for recipient, (wire, _needs_utf8) in wire_rcpts.items():
            code, message = self._expect(*client.rcpt(wire))
            if 200 <= code < 300:
                accepted.append(recipient)
            else:  # RFC 5321 §3.3: each recipient is accepted or refused on its own
                results[recipient] = from_reply(code, message, host)
        if not accepted:
            self._expect(*client.rset())
            return results
        try:
            code, message = client.data(raw)
        except smtplib.SMTPDataError as refused:  # the reply to DATA itself was not 354
            code, message = refused.smtp_code, refused.smtp_error
        self._expect(code, message)
        # RFC 5321 §4.2.5: one reply after the data covers every accepted recipient.
        outcome = from_reply(code, message, host)
        return {**results, **dict.fromkeys(accepted, outcome)}

    def _expect(self, code: int, message: bytes) -> tuple[int, bytes]:
        """Pass a reply through unless it closes the session (RFC 5321 §3.8: 421)."""
        if code == 421:
            raise HostFailure(from_reply(code, message, self.host.name))
        return code, message


class _HandshakeFailed(HostFailure):
    pass


# RFC 8460 §4.3 result types of a session (§4.3.1 negotiation, §4.3.2 certificate).
SUCCESS = "success"
STARTTLS_NOT_SUPPORTED = "starttls-not-supported"
CERTIFICATE_HOST_MISMATCH = "certificate-host-mismatch"
CERTIFICATE_EXPIRED = "certificate-expired"
CERTIFICATE_NOT_TRUSTED = "certificate-not-trusted"
VALIDATION_FAILURE = "validation-failure"
# OpenSSL's X509_V_ERR_* codes (x509_vfy.h) behind an SSLCertVerificationError.
_VERIFY_CODES = {
    10: CERTIFICATE_EXPIRED,  # X509_V_ERR_CERT_HAS_EXPIRED
    9: CERTIFICATE_EXPIRED,  # X509_V_ERR_CERT_NOT_YET_VALID: outside its validity, the closest type
    18: CERTIFICATE_NOT_TRUSTED,  # X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT
    19: CERTIFICATE_NOT_TRUSTED,  # X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN
    20: CERTIFICATE_NOT_TRUSTED,  # X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY
    21: CERTIFICATE_NOT_TRUSTED,  # X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE
    2: CERTIFICATE_NOT_TRUSTED,  # X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT
    62: CERTIFICATE_HOST_MISMATCH,  # X509_V_ERR_HOSTNAME_MISMATCH
}


def tls_failure_type(error: BaseException) -> str:
    """The RFC 8460 §4.3 result type of a failed TLS handshake.

    §4.3.2: a certificate that fails verification is named by its reason; any other
    handshake failure (no common cipher, the peer hung up) is the general
    "validation-failure" of §4.3.2.
    """
    if isinstance(error, ssl.SSLCertVerificationError):
        return _VERIFY_CODES.get(error.verify_code, VALIDATION_FAILURE)
    return VALIDATION_FAILURE


def wire_address(address: str) -> tuple[str, bool]:
    """The address as sent in MAIL/RCPT, and whether it needs SMTPUTF8.

    RFC 6531 §3.2: a non-ASCII domain can travel as its A-label without the extension;
    only a non-ASCII local part needs it.
    """
    if not address:
        return "", False  # the null reverse-path <>
    local, _at, domain = address.rpartition("@")
    if not domain.isascii():
        try:
            domain = idna.encode(domain, uts46=True).decode("ascii")
        except (idna.IDNAError, UnicodeError):
            return address, True
    return f"{local}@{domain}", not local.isascii()


def _no_smtputf8(host: str) -> Result:
    # RFC 6531 §3.5: without the extension the message cannot go as it is; we do not downgrade.
    return permanent("5.6.7", _("%(host)s does not support SMTPUTF8, which this message or address needs.")
                     % {"host": host}, host, code=553)


def _size_limit(client: _SMTP) -> int:
    try:
        return int(client.esmtp_features.get("size", "0").strip() or 0)
    except ValueError:
        return 0


def _crlf(raw: bytes) -> bytes:
    """Every line ending as CRLF: a bare LF or CR must never reach the wire (RFC 5321 §2.3.8)."""
    return _LINE_END_RE.sub(b"\r\n", raw)


def _describe(error: Exception) -> str:
    return str(error) or type(error).__name__  # a bare timeout has no text


def _close(client: _SMTP):
    with contextlib.suppress(OSError):
        client.close()
