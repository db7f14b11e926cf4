"""Who may send what to whom: the MAIL and RCPT decisions of every SMTP listener.

Blocking (directory lookups): the listeners call these through host.run_blocking.
Replies carry RFC 3463 enhanced status codes. The classic relay tricks need no special
code: the address is parsed once, canonically (directory.addresses), and whatever is
left of the last "@" decides. A percent hack (a%b@us), a bang path (b!a@us) or a quoted
"a@b"@us is a local part of ours that names no mailbox, a source route (<@a:b@c>) loses
its route in aiosmtpd's parser (RFC 5321 §4.1.1.3, Appendix C: accepted, ignored) so b@c
decides, and upper-case or IDN spellings of our domains are our domains.
"""
import logging
import time
import unicodedata
from dataclasses import dataclass, replace

from django.conf import settings
from django.core.exceptions import ValidationError

from mailcore.delivery import srs
from mailcore.delivery.queue import Kind
from mailcore.directory.addresses import Address, parse_address
from mailcore.directory.lookup import hosted_domain, local_recipient, on_change, sender_addresses
from mailcore.directory.postmaster import is_postmaster, postmaster_mailbox, primary_domain

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Verdict:
    reply: str | None  # None: accepted
    kind: str = ""  # "local" / "remote" for an accepted recipient
    domain: str = ""
    address: str = ""  # the canonical form to queue
    dmarc_reject: bool = True  # refuse mail failing DMARC p=reject (the hosted domain's choice)
    postmaster: bool = False  # mail to postmaster: never refused by spam policy (RFC 5321 §4.5.1)
    srs: bool = False  # an SRS address of ours: only bounces (MAIL FROM:<>) may go there


def refuse(reply: str, domain: str = "") -> Verdict:
    """A refusal; `domain` names the hosted domain refused for (its statistics count it)."""
    return Verdict(reply, domain=domain)


def parse_path(text: str) -> Address | None:
    try:
        return parse_address(text, allow_quoted=True)
    except ValidationError:
        return None


def cached_recipient(text: str, *, may_relay: bool) -> Verdict | None:
    """A recent check_recipient answer for the same RCPT, or None. Safe on the event loop.

    An MX sees the same recipients again and again; answering them from memory spares a
    thread hop and two queries. Answers are kept HOPTHU_DIRECTORY_CACHE_SECONDS, as the
    hosted-domain answers are; a directory change in this process clears them at once.
    """
    cached = _recipient_cache.get((text, may_relay))
    if cached is None or cached[0] <= time.monotonic():
        return None
    return cached[1]


def check_recipient(text: str, *, may_relay: bool) -> Verdict:
    """Decide one RCPT TO. may_relay: the client authenticated (submission, relay token)."""
    verdict = _check_recipient(text, may_relay=may_relay)
    ttl = getattr(settings, "HOPTHU_DIRECTORY_CACHE_SECONDS", 5)
    # "No such mailbox" is not kept: an account just made in the panel must not be
    # refused for good (5xx) by a stale answer.
    if ttl > 0 and verdict.reply != NO_SUCH_MAILBOX:
        if len(_recipient_cache) >= MAX_CACHED_RECIPIENTS:
            _recipient_cache.clear()  # a dictionary attack must not grow it without bound
        _recipient_cache[(text, may_relay)] = (time.monotonic() + ttl, verdict)
    return verdict


def _check_recipient(text: str, *, may_relay: bool, postmaster_fallback: bool = True) -> Verdict:
    if postmaster_fallback and is_postmaster(text):
        # RFC 5321 §4.5.1: "<Postmaster>" without a domain MUST be accepted, any case; it
        # is postmaster of the primary domain (the oldest hosted one).
        primary = primary_domain()
        return _check_recipient(f"postmaster@{primary.name}", may_relay=False) if primary else _postmaster(None)
    address = parse_path(text)
    if address is None:
        return refuse("553 5.1.3 The recipient address is not valid")
    domain = hosted_domain(address.domain, active_only=True)
    if domain is not None:
        postmaster = is_postmaster(address.localpart)
        recipient = local_recipient(domain, address.localpart)
        if not recipient.known:
            if postmaster and postmaster_fallback:  # RFC 5321 §4.5.1, RFC 2142 §4
                return _postmaster(domain)
            return refuse(NO_SUCH_MAILBOX, domain.name)
        if recipient.full:
            return refuse("452 4.2.2 The mailbox is full; try again later")
        # Postmaster hears about problems, DMARC failures among them: never refused for one.
        return Verdict(None, Kind.LOCAL, domain.name, str(address), domain.dmarc_reject and not postmaster,
                       postmaster)
    disabled = hosted_domain(address.domain)
    if disabled is not None:  # a disabled domain of ours
        return refuse("550 5.2.1 This domain does not accept mail now", disabled.name)
    original = srs.reverse(str(address))
    if original is not None:  # a bounce coming back for mail we forwarded (srs.py)
        back = parse_path(original)
        if back is not None:
            return Verdict(None, Kind.REMOTE, back.domain, str(back), _default_dmarc_reject(), srs=True)
    if may_relay:
        return Verdict(None, Kind.REMOTE, address.domain, as_given(text, address), _default_dmarc_reject())
    return refuse("554 5.7.1 Relay access denied")


def _postmaster(domain) -> Verdict:
    """Postmaster mail with no postmaster in the directory: to the configured mailbox
    (directory/postmaster.py), queued under that mailbox's address. domain: the hosted
    domain the mail was sent to, None for a bare <Postmaster>."""
    target = postmaster_mailbox(domain)
    verdict = _check_recipient(target, may_relay=False, postmaster_fallback=False) if target else None
    if verdict is not None and verdict.reply and verdict.reply.startswith("452"):
        return verdict  # a full mailbox: retried
    if verdict is None or verdict.reply or verdict.kind != Kind.LOCAL:
        log.error("no mailbox takes postmaster mail (HOPTHU_POSTMASTER=%r): %s", target,
                  verdict.reply if verdict else "no account")
        return refuse("451 4.3.5 The postmaster mailbox is not configured; try again later")
    return replace(verdict, dmarc_reject=False, postmaster=True)


NO_SUCH_MAILBOX = "550 5.1.1 No such mailbox here"
MAX_CACHED_RECIPIENTS = 10_000
_recipient_cache: dict[tuple[str, bool], tuple[float, Verdict]] = {}


@on_change  # a directory change in this process (directory/lookup.py)
def clear_recipient_cache():
    _recipient_cache.clear()


def _default_dmarc_reject() -> bool:
    return getattr(settings, "HOPTHU_DMARC_REJECT", True)


NULL_REVERSE_PATH = "<>"


def check_sender(text: str) -> Verdict:
    """Decide a MAIL FROM's syntax. The null reverse-path is always allowed and its
    canonical form is "" (RFC 5321 §4.1.1.2: Reverse-path = Path / "<>"); aiosmtpd hands
    it over as the text "<>", the queue and the webmail as ""."""
    if text in ("", NULL_REVERSE_PATH):
        # RFC 5321 §4.5.5, §6.1: every DSN, MDN and auto-reply uses it; refusing it
        # refuses every bounce.
        return Verdict(None, address="")
    address = parse_path(text)
    if address is None:
        return refuse("553 5.1.7 The sender address is not valid")
    return Verdict(None, address=as_given(text, address))


def as_given(text: str, address: Address) -> str:
    """address with its local part spelled as the client gave it. RFC 5321 §2.4: a local
    part is case-sensitive for the server that holds the mailbox, so one that is not ours
    (a remote recipient, the sender bounces go back to) MUST keep its case. Our own are
    looked up in canonical (lower-case) form all the same."""
    given = text.strip()
    if given.startswith("<") and given.endswith(">"):
        given = given[1:-1]
    localpart = unicodedata.normalize("NFC", given.rpartition("@")[0])
    if localpart.lower() != address.localpart:
        return str(address)
    return f"{localpart}@{address.domain}"


def may_send_as(account, address: str) -> bool:
    """Whether account may use address as its MAIL FROM or From (directory.lookup.sender_addresses)."""
    parsed = parse_path(address)
    if parsed is None:
        return False
    return str(parsed).lower() in sender_addresses(account)
