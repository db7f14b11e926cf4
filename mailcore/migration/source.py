"""The old server: connecting (IMAPS, STARTTLS, or plain for loopback tests) and logging
in as a source account through IMAPClient, and the errors a report can show.

Logins: the account's own password (LOGIN, RFC 9051 §6.2.3); an admin through Dovecot's
master-user syntax, "user*admin" with the admin's password; or an admin followed by
PROXYAUTH user (Cyrus, Zimbra). Certificates are verified unless the job says not to.
"""
import contextlib
import ipaddress
import socket
import ssl

from django.conf import settings
from django.utils.translation import gettext as _
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

TIMEOUT_SECONDS = 60


class SourceError(Exception):
    """The old server could not be used for one account; the text is for the report."""


def _tls_context(verify: bool) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def public_host(host: str, port: int) -> bool:
    """Whether every address host resolves to is a public one (not loopback, private,
    link-local, reserved): what a webmail user's import may reach."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return True  # it fails to connect later, with its own reason
    return all(ipaddress.ip_address(info[4][0].split("%")[0]).is_global for info in infos)


def check_reachable_by_users(job) -> None:
    """Raise SourceError when a user's own import names a non-public address."""
    if job.origin == "webmail" and not settings.HOPTHU_IMPORT_PRIVATE_HOSTS \
            and not public_host(job.host, job.port):
        raise SourceError(_("%(host)s is not a public address; an import can only reach servers on the "
                            "Internet.") % {"host": job.host})


def connect(job) -> IMAPClient:
    """An IMAPClient on the job's server, TLS set up, not logged in; raise SourceError."""
    from .models import MigrationJob

    # Checked again here, as the name may resolve elsewhere now than when the job was made.
    check_reachable_by_users(job)
    try:
        client = IMAPClient(job.host, port=job.port, ssl=job.security == MigrationJob.IMAPS,
                            ssl_context=_tls_context(job.verify_certificate), timeout=TIMEOUT_SECONDS)
        if job.security == MigrationJob.STARTTLS:
            client.starttls(_tls_context(job.verify_certificate))  # RFC 9051 §6.2.1
    except ssl.SSLError as exc:
        raise SourceError(_("TLS with %(host)s failed: %(error)s")
                          % {"host": job.host, "error": exc.reason or exc}) from None
    except (TimeoutError, OSError) as exc:
        raise SourceError(_("Cannot connect to %(host)s port %(port)s: %(error)s")
                          % {"host": job.host, "port": job.port, "error": exc.strerror or exc}) from None
    except IMAPClientError as exc:
        raise SourceError(_("The server %(host)s refused: %(error)s") % {"host": job.host, "error": exc}) from None
    client.normalise_times = False  # INTERNALDATE with its zone, not converted to local time
    return client


def login(client: IMAPClient, job, source_login: str, password: str) -> None:
    """Log in as source_login; raise SourceError with the server's reason."""
    from .models import MigrationJob

    try:
        if job.login_method == MigrationJob.MASTER_USER:
            client.login(f"{source_login}{job.master_separator}{job.admin_login}", password)
        elif job.login_method == MigrationJob.PROXYAUTH:
            client.login(job.admin_login, password)
            # PROXYAUTH (Cyrus): act as the user for the rest of the session.
            client._imap.proxyauth(source_login)
        else:
            client.login(source_login, password)
    except LoginError as exc:
        raise SourceError(_("The old server refused the login of %(login)s: %(error)s")
                          % {"login": source_login, "error": _server_text(exc)}) from None
    except (IMAPClientError, client._imap.error) as exc:
        raise SourceError(_("The old server refused the login of %(login)s: %(error)s")
                          % {"login": source_login, "error": _server_text(exc)}) from None
    except OSError as exc:
        raise SourceError(_("The connection to the old server broke: %(error)s") % {"error": exc}) from None


def _server_text(exc) -> str:
    text = str(exc)
    for prefix in ("b'", 'b"'):
        if text.startswith(prefix) and text.endswith(text[1]):
            text = text[2:-1]
    return text[:300]


def logout(client: IMAPClient) -> None:
    with contextlib.suppress(IMAPClientError, OSError):
        client.logout()
