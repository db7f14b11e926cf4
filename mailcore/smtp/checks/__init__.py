"""Inbound sender authentication: SPF, DKIM and DMARC, reported in Authentication-Results.

Called by the MX listener at DATA time, on a worker thread (the checks block on DNS):

    results = check_message(client_ip=peer_ip, helo=session.host_name, mail_from=envelope.mail_from,
                            raw=content, hostname=settings.HOPTHU_HOSTNAME)
    if results.dmarc_failed and results.dmarc_policy == "reject" and <the domain enforces DMARC>:
        return "550 5.7.1 ..."
    content = results.header().encode() + b"\\r\\n" + strip_forged_results(content, hostname)

Nothing here raises on hostile input: every problem is one of the RFC results.
docs/inbound-checks.md explains the results and the choices made.
"""
from .dkim_verify import verify_dkim
from .dmarc import check_dmarc, organizational_domain
from .results import AuthResults, DKIMResult, DMARCResult, SPFResult, strip_forged_results
from .spf import check_spf

__all__ = [
    "AuthResults",
    "DKIMResult",
    "DMARCResult",
    "SPFResult",
    "check_message",
    "organizational_domain",
    "strip_forged_results",
]


def check_message(*, client_ip: str, helo: str, mail_from: str, raw: bytes, hostname: str) -> AuthResults:
    """SPF (RFC 7208), DKIM (RFC 6376) and DMARC (RFC 7489) results for one received message.

    client_ip is the SMTP client's address, helo its EHLO/HELO argument, mail_from the
    reverse-path ("" when null), raw the message as received and hostname our
    authserv-id (RFC 8601 §2.5).
    """
    spf = check_spf(client_ip=client_ip, helo=helo, mail_from=mail_from, hostname=hostname)
    dkim = verify_dkim(raw)
    dmarc = check_dmarc(raw=raw, spf=spf, dkim=dkim)
    return AuthResults(hostname=hostname, spf=spf, dkim=dkim, dmarc=dmarc)
