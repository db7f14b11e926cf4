"""Outbound delivery: hand a message to the mail servers of the recipients' domain.

Blocking (smtplib), run from a Celery task. Hosts come from mx.destinations() in
RFC 5321 §5.1 order; each is tried until one takes the transaction. Whatever a host
replies (accepted, refused per recipient, refused at DATA) is final for this attempt;
only a host that cannot be used (no connection, 421, lost connection, TLS required
but missing) sends the message on to the next host.
"""
import logging
from collections import deque
from dataclasses import replace
from typing import NamedTuple

from django.utils.translation import gettext as _

from mailcore.dns import TemporaryDNSError
from mailcore.reports import tls_sessions

from . import mta_sts
from .mx import Host, a_label, destinations
from .result import DeliveryError, Result, temporary
from .session import ClientOptions, HostFailure, Session

logger = logging.getLogger(__name__)

# Postfix's smtp_mx_address_limit: with a 60 s timeout per dead address, trying every
# address of a big MX set would hold a worker for many minutes; later retries try again.
MAX_ADDRESSES = 5


class Job(NamedTuple):
    """One message for deliver_many: its envelope and its bytes (CRLF line endings)."""

    mail_from: str  # "" for the null reverse-path
    recipients: list[str]
    raw: bytes


def deliver(domain: str, mail_from: str, recipients: list[str], raw: bytes) -> dict[str, Result]:
    """Deliver one message to recipients all at `domain`; return a Result per recipient."""
    return deliver_many(domain, [Job(mail_from, recipients, raw)])[0]


def deliver_many(domain: str, jobs: list[Job | tuple]) -> list[dict[str, Result]]:
    """Deliver several messages for `domain` over one connection where possible.

    Returns one {recipient: Result} per job, in order. Messages go one after another
    on the same session (RSET between them); if the host goes away, the remaining
    messages continue on the next host.
    """
    jobs = [Job(*job) for job in jobs]
    results: list[dict[str, Result] | None] = [None] * len(jobs)
    pending = deque(index for index, job in enumerate(jobs) if job.recipients)
    for index, job in enumerate(jobs):
        if not job.recipients:
            results[index] = {}
    try:
        hosts = destinations(domain)[:MAX_ADDRESSES]
    except DeliveryError as error:
        hosts, failure = [], error.result
    except TemporaryDNSError as error:
        logger.info("DNS lookup for %s failed: %s", domain, error)
        hosts, failure = [], temporary("4.4.3", _("The DNS lookup for %(domain)s failed; will retry.")
                                       % {"domain": domain})
    else:
        failure = temporary("4.4.1", _("No mail server of %(domain)s could be reached.") % {"domain": domain})
    options = ClientOptions.from_settings() if hosts else None
    policy = None
    if hosts:
        hosts, options, failure, policy = _with_mta_sts(domain, hosts, options, failure)
    for host in hosts:
        if not pending:
            break
        try:
            session = Session.open(host, options)
        except HostFailure as error:
            logger.info("%s: %s", host, error.result.reply)
            failure = error.result
            if error.result_type:
                _record_tls(domain, policy, host, error.result_type)
            continue
        if session.tls_result:
            _record_tls(domain, policy, host, session.tls_result)
        with session:
            while pending:
                job = jobs[pending[0]]
                try:
                    results[pending[0]] = _log(session, job, session.send(*job))
                except HostFailure as error:
                    logger.info("%s: %s", host, error.result.reply)
                    failure = error.result
                    break
                pending.popleft()
    for index in pending:
        results[index] = _log(None, jobs[index], dict.fromkeys(jobs[index].recipients, failure))
    return results


def _with_mta_sts(domain: str, hosts: list[Host], options: ClientOptions, failure: Result):
    """The hosts and TLS level an MTA-STS policy of domain allows (RFC 8461 §5).

    enforce: only MX hosts the policy lists, each over verified TLS; none listed defers
    the mail (§5: never deliver to a host that fails the policy). testing: unchanged,
    with a log line for what enforce mode would refuse (§5.2).
    """
    if domain.startswith("["):
        return hosts, options, failure, None  # an address literal has no MX and no policy
    try:
        policy, policy_failure = mta_sts.policy_and_failure(a_label(domain))
    except DeliveryError:
        return hosts, options, failure, None
    if policy_failure:
        # RFC 8460 §4.3.2.1: the announced policy could not be used; no MX is involved.
        tls_sessions.record(a_label(domain), policy, "", "", policy_failure, published=True)
    if policy is None or policy.mode == "none":
        return hosts, options, failure, None
    matching = [host for host in hosts if policy.allows(host.name)]
    if not policy.enforced:
        for host in hosts:
            if host not in matching:
                logger.info("MTA-STS testing: %s is not in the policy of %s; enforce mode would skip it",
                            host.name, domain)
        return hosts, options, failure, policy
    if not matching:
        return [], options, temporary("4.7.5", _("No mail server of %(domain)s matches its MTA-STS policy; "
                                                 "will retry.") % {"domain": domain}), policy
    failure = temporary("4.7.5", _("No mail server of %(domain)s could be reached over the verified TLS its "
                                   "MTA-STS policy requires; will retry.") % {"domain": domain})
    return matching, replace(options, tls="verify"), failure, policy


def _record_tls(domain: str, policy, host: Host, result_type: str):
    """Count the session for the domain's daily TLS report (RFC 8460 §4); not for
    address literals, which have no policy domain to report to."""
    if not domain.startswith("["):
        tls_sessions.record(a_label(domain), policy, host.name, host.address, result_type)


def _log(session: Session | None, job: Job, results: dict[str, Result]) -> dict[str, Result]:
    relay = f"{session.host}{' (TLS)' if session.tls else ''}" if session else "none"
    for recipient, result in results.items():
        status = "sent" if result.delivered else "bounced" if result.permanent else "deferred"
        logger.info("to=<%s> from=<%s> relay=%s status=%s (%s)", recipient, job.mail_from, relay, status, result.reply)
    return results
