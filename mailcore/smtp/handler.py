"""The aiosmtpd handler: MAIL, RCPT and DATA decisions for every listener.

One handler instance serves every connection of a listener; per-connection state lives
on aiosmtpd's session and envelope objects. Every directory lookup and the commit run
on the host's thread pool (host.run_blocking), never on the event loop.
"""
import asyncio
import logging

from django.conf import settings

from mailcore.auth.errors import RateLimited
from mailcore.delivery import trace
from mailcore.delivery.queue import Envelope, Source
from mailcore.filters import greylist
from mailcore.filters import scan as filter_scan
from mailcore.relay import access as relay_access
from mailcore.stats import pending as pending_counts

from . import policy, refusals, submission
from .auth import SubmissionAuth
from .checks import check_message, strip_forged_results
from .committer import GroupCommitter
from .originator import originator_refusal

log = logging.getLogger(__name__)



def _has_bare_cr_or_lf(raw: bytes) -> bool:
    """RFC 5321 §2.3.8: lines end in CRLF only. A bare CR or LF inside DATA is how "SMTP
    smuggling" hides a second message; aiosmtpd passes them through, so refuse here.
    Three counts in C are many times faster than a regular expression with lookbehind."""
    pairs = raw.count(b"\r\n")
    return raw.count(b"\r") != pairs or raw.count(b"\n") != pairs
MAX_RECIPIENTS = 1000


class MailHandler(SubmissionAuth):
    def __init__(self, host, committer: GroupCommitter | None = None):
        self.host = host
        self.committer = committer or GroupCommitter(host)

    # --- EHLO ----------------------------------------------------------------------------

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        lines = [line[4:] for line in responses]
        keep = [line for line in lines if not line.startswith("AUTH") or (server.offers_auth and server.is_secure)]
        keep = [line for line in keep if line != "HELP"]
        keep += ["PIPELINING", "ENHANCEDSTATUSCODES", "HELP"]
        return [f"250-{line}" for line in keep[:-1]] + [f"250 {keep[-1]}"]

    # --- MAIL ----------------------------------------------------------------------------

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if server.mode == "relay":
            return await self._relay_MAIL(server, session, envelope, address, mail_options)
        if server.offers_auth and not session.authenticated:
            return "530 5.7.0 Authentication required"
        verdict = policy.check_sender(address)  # parsing only: cheaper here than a thread hop
        if verdict.reply:
            return verdict.reply
        if session.authenticated and verdict.address:
            account = session.auth_data
            allowed = await self.host.run_blocking(policy.may_send_as, account, verdict.address)
            if not allowed:
                return "553 5.7.1 You may not send as that address"
        return self._start_envelope(envelope, verdict.address, mail_options)

    async def _relay_MAIL(self, server, session, envelope, address, mail_options):
        """The relay port: a relay token (AUTH) or an allowlisted network, and only the
        grant's sender addresses (mailcore.relay; docs/relay.md)."""
        verdict = policy.check_sender(address)
        if verdict.reply:
            return verdict.reply
        token = session.auth_data if session.authenticated else None
        grant, reply = await self.host.run_blocking(_relay_sender, token, server.client_ip(), verdict.address)
        if reply:
            return reply
        envelope.hopthu_grant = grant
        return self._start_envelope(envelope, verdict.address, mail_options)

    @staticmethod
    def _start_envelope(envelope, mail_from: str, mail_options) -> str:
        # aiosmtpd tests envelope.mail_from for truth (503 nested MAIL, 503 need MAIL), so
        # the null reverse-path stays "<>" there; reverse_path() gives the canonical "".
        envelope.mail_from = mail_from or policy.NULL_REVERSE_PATH
        envelope.mail_options.extend(mail_options)
        envelope.hopthu_kinds = {}
        envelope.hopthu_dmarc_reject = True
        envelope.hopthu_postmaster_only = True  # until a recipient other than postmaster
        return "250 2.1.0 OK"

    # --- RCPT ----------------------------------------------------------------------------

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if len(envelope.rcpt_tos) >= MAX_RECIPIENTS:
            return "452 4.5.3 Too many recipients"
        may_relay = bool(session.authenticated) or getattr(envelope, "hopthu_grant", None) is not None
        verdict = policy.cached_recipient(address, may_relay=may_relay) or \
            await self.host.run_blocking(policy.check_recipient, address, may_relay=may_relay)
        if verdict.reply:
            if verdict.domain and verdict.reply.startswith("5"):  # permanent refusals only: a 4xx is retried
                pending_counts.note(verdict.domain, pending_counts.Kind.REJECTED)
            return await self._refused_RCPT(server, session, verdict.reply)
        if verdict.srs and not may_relay and reverse_path(envelope):
            # An SRS address only takes the bounces it was made for (delivery/srs.py): any
            # other mail to a guessed or harvested one would be relayed to its original sender.
            return await self._refused_RCPT(server, session, "550 5.7.1 Only bounces (MAIL FROM:<>) may be sent "
                                                             "to this address")
        # RFC 5321 §4.5.1: postmaster is never greylisted (a report of a problem must arrive).
        if server.mode == "mx" and verdict.kind == "local" and not verdict.postmaster \
                and not greylist.may_skip(verdict.domain):
            reply = await self.host.run_blocking(greylist.check, verdict.domain, server.client_ip(),
                                                 reverse_path(envelope), verdict.address)
            if reply:
                return reply
        if verdict.address not in envelope.rcpt_tos:
            if server.mode == "mx" and envelope.rcpt_tos and verdict.dmarc_reject != envelope.hopthu_dmarc_reject:
                # One DATA reply answers for every recipient, so recipients whose domains
                # treat DMARC p=reject differently go in separate transactions: a 452 makes
                # the client retry this one later (RFC 5321 §4.5.3.1.10).
                return "452 4.5.3 Send to this recipient in a separate message"
            envelope.hopthu_dmarc_reject = verdict.dmarc_reject
            envelope.rcpt_tos.append(verdict.address)
            envelope.rcpt_options.extend(rcpt_options)
            envelope.hopthu_kinds[verdict.address] = (verdict.kind, verdict.domain)
            envelope.hopthu_postmaster_only = envelope.hopthu_postmaster_only and verdict.postmaster
        return "250 2.1.5 OK"

    async def _refused_RCPT(self, server, session, reply: str) -> str:
        """Count a permanent refusal against the client (smtp/refusals.py): past the limit it
        is answered slowly, on the event loop, and then the session is ended with 421."""
        if not reply.startswith("5"):
            return reply
        brake = await self.host.run_blocking(refusals.note, server.client_ip())
        if brake.delay:
            await asyncio.sleep(brake.delay)
        if brake.close:
            log.info("closing the SMTP session of %s: too many refused recipients", server.client_ip())
            session.hopthu_close = True
            return refusals.CLOSE_REPLY
        return reply

    # --- DATA ----------------------------------------------------------------------------

    async def handle_DATA(self, server, session, envelope):
        reply = await self._data(server, session, envelope)
        if reply.startswith("5"):  # refused for every recipient: count each hosted one
            for kind, domain in getattr(envelope, "hopthu_kinds", {}).values():
                if kind == "local":
                    pending_counts.note(domain, pending_counts.Kind.REJECTED)
        return reply

    async def _data(self, server, session, envelope):
        raw = envelope.original_content or b""
        scanned = None
        if server.message_size_limit and len(raw) > server.message_size_limit:
            # RFC 1870 §6.2, RFC 3463 §3.4; raw is without its transparency dots (session.py).
            return "552 5.3.4 Message size exceeds fixed maximum message size"
        if _has_bare_cr_or_lf(raw):
            return "554 5.6.0 Bare CR or LF in the message is not allowed (RFC 5321 section 2.3.8)"
        if trace.hop_count(raw) >= trace.MAX_HOPS:
            return "554 5.4.6 Too many hops: a mail loop?"
        header = trace.received(
            helo=session.host_name or "", client_ip=server.client_ip(), hostname=settings.HOPTHU_HOSTNAME,
            protocol=_protocol(server, session, envelope), queue_id=id(envelope) & 0xFFFFFFFF,
            recipient=envelope.rcpt_tos[0] if len(envelope.rcpt_tos) == 1 else None,
            tls=server.tls_description(),
        )
        if server.mode == "relay":
            reply = await self.host.run_blocking(_check_relay, envelope.hopthu_grant, raw)
            if reply:
                return reply
        elif server.offers_auth:
            reply = await self.host.run_blocking(self._check_submission, session.auth_data, raw)
            if reply:
                return reply
        else:
            raw, reply, scanned = await self.host.run_blocking(
                _check_inbound, raw, server.client_ip(), session.host_name or "", reverse_path(envelope),
                getattr(envelope, "hopthu_dmarc_reject", True), list(envelope.rcpt_tos), header,
                getattr(envelope, "hopthu_postmaster_only", False))
            if reply:  # refused, to be retried, or held in quarantine (with our Received field)
                return reply
        queued = Envelope(
            mail_from=reverse_path(envelope), recipients=list(envelope.rcpt_tos), source=_source(server),
            account_id=session.auth_data.pk if session.authenticated and server.mode != "relay" else None,
            owner_domain=_relay_domain(envelope) if server.mode == "relay" else "",
            client_ip=server.client_ip(), helo=session.host_name or "", smtputf8=envelope.smtp_utf8,
            kinds=getattr(envelope, "hopthu_kinds", {}),
            spam_score=scanned.spam.score if scanned and scanned.spam else None,
            spam_report=filter_scan.report(scanned.spam) if scanned else None,
        )
        queue_id = await self.committer.commit(header + raw, queued)
        return f"250 2.0.0 OK: queued as {queue_id}"

    def _check_submission(self, account, raw: bytes) -> str | None:
        """The rules of submission (submission.py): the From and the send rate."""
        try:
            submission.check(account, raw)
        except submission.Refused as refusal:
            return refusal.reply
        return None


def reverse_path(envelope) -> str:
    """The envelope's MAIL FROM in canonical form: "" for the null reverse-path."""
    mail_from = envelope.mail_from or ""
    return "" if mail_from == policy.NULL_REVERSE_PATH else mail_from


def _check_from_header(raw: bytes, may_send_as) -> str | None:
    from mailcore.mime.fields import parse_fields
    from mailcore.mime.structure import split_header

    refusal = originator_refusal(raw)  # exactly one From field (RFC 5322 §3.6)
    if refusal is not None:
        return refusal.reply
    headers = parse_fields(raw[:split_header(raw, 0, len(raw))])
    senders = headers.addresses("from")
    if not senders:
        return "550 5.6.0 The message has no From header"
    for _name, address in senders:
        if not may_send_as(address):
            return "553 5.7.1 The From header names an address you may not send as"
    return None


def _check_relay(grant, raw: bytes) -> str | None:
    """The relay port's DATA: From within the grant's senders, then the grant's rate."""
    reply = _check_from_header(raw, lambda address: _grant_allows(grant, address))
    if reply:
        return reply
    try:
        relay_access.check_rate(grant)  # counted last: a refused message uses no allowance
    except RateLimited as error:
        return f"451 4.7.1 {error.message}"
    return None


def _relay_sender(token, client_ip: str | None, mail_from: str):
    """(grant, None) when the relay port may take mail from mail_from, else (None, reply)."""
    grant = token or relay_access.network_grant(client_ip)
    if grant is None:
        return None, "530 5.7.0 Authentication required"
    if not mail_from or not relay_access.allows_sender(grant, mail_from):
        return None, "553 5.7.1 You may not send as that address"
    return grant, None


def _relay_domain(envelope) -> str:
    """The domain whose relay grant (token or network) let this mail in (docs/relay.md)."""
    grant = getattr(envelope, "hopthu_grant", None)
    return grant.domain.name if grant is not None else ""


def _grant_allows(grant, address: str) -> bool:
    parsed = policy.parse_path(address)
    return parsed is not None and relay_access.allows_sender(grant, str(parsed))


def _source(server) -> str:
    return {"mx": Source.MX, "relay": Source.RELAY}.get(server.mode, Source.SUBMISSION)


def _protocol(server, session, envelope) -> str:
    """RFC 3848 "with" keywords: ESMTP, plus S for TLS and A for authenticated."""
    if not session.extended_smtp:
        return "SMTP"
    name = "UTF8SMTP" if envelope.smtp_utf8 else "ESMTP"
    return name + ("S" if server.uses_tls else "") + ("A" if session.authenticated else "")


def _check_inbound(raw: bytes, client_ip, helo: str, mail_from: str, dmarc_reject: bool,
                   recipients: list[str], received: bytes = b"",
                   postmaster_only: bool = False) -> tuple[bytes, str | None, object]:
    """Mail from other servers: sender authentication, then the filter scan, in one trip to
    the thread pool. Returns the message to queue, a refusal (or hold) reply, the scan.
    Mail only for postmaster is never refused as spam (RFC 5321 §4.5.1, RFC 2142 §4: the
    address people write to when mail fails); it may still be put in Junk."""
    raw, reply = _authenticate_sender(raw, client_ip, helo, mail_from, dmarc_reject)
    if reply:
        return raw, reply, None
    raw, scanned = filter_scan.filter_mx(raw, mail_from=mail_from, recipients=recipients, client_ip=client_ip,
                                         helo=helo, received=received, refuse_spam=not postmaster_only)
    return raw, scanned.reply or None, scanned


def _authenticate_sender(raw: bytes, client_ip, helo: str, mail_from: str,
                         dmarc_reject: bool) -> tuple[bytes, str | None]:
    """SPF, DKIM and DMARC of mail from other servers (smtp/checks): the message with its
    Authentication-Results field (forged ones of ours removed, RFC 8601 §5), or a refusal
    when the From domain publishes DMARC p=reject and the recipients' domains honour it."""
    hostname = settings.HOPTHU_HOSTNAME
    results = check_message(client_ip=client_ip or "127.0.0.1", helo=helo, mail_from=mail_from, raw=raw,
                            hostname=hostname)
    if dmarc_reject and results.dmarc_policy == "reject":
        if results.dmarc_failed:
            return raw, "550 5.7.1 Rejected by the sender domain's DMARC policy"
        if results.dmarc.result == "temperror":
            return raw, "451 4.7.5 DMARC could not be evaluated now; try again later"
    return results.header().encode() + b"\r\n" + strip_forged_results(raw, hostname), None
