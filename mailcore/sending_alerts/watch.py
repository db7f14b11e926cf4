"""Counting what accounts send and sign in from, and holding them when it looks wrong.

note_sent() runs inside enqueue_batch's transaction, per account in the batch: one
SELECT of which recipients it already knows, one INSERT of the new ones, one UPDATE of
its hourly counter, one SELECT of the counter and its flag. No query per recipient.
"""
import logging
import time
from collections import defaultdict
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from mailcore.directory.models import Domain

from . import baseline
from .holds import hold
from .models import KnownRecipient, SendingHour, SendingState, SignInNetwork

log = logging.getLogger(__name__)
NETWORK_MEMORY = timedelta(days=30)  # a network not seen for this long is new again
NETWORK_TOUCH = timedelta(days=1)  # last_seen is written at most this often
SIGN_IN_MEMO = 600.0  # seconds a process skips the lookup of a network it just saw for the account
_recent_sign_ins: dict[tuple[int, str], float] = {}
_usual: dict[tuple[int, object], tuple[int, int]] = {}  # (account, hour) -> p95 (messages, recipients)


def note_sent(sent: list[tuple[int, list[str]]], now=None) -> None:
    """Count messages our users sent: [(account id, recipients), ...] of one queued batch."""
    now = now or timezone.now()
    by_account: dict[int, list[list[str]]] = defaultdict(list)
    for account_id, recipients in sent:
        by_account[account_id].append(recipients)
    for account_id, messages in by_account.items():
        _note_account(account_id, messages, now)


def _note_account(account_id: int, messages: list[list[str]], now) -> None:
    hour = baseline.hour_of(now)
    addresses = {address.lower() for recipients in messages for address in recipients}
    known = set(KnownRecipient.objects.filter(account_id=account_id, address__in=addresses)
                .values_list("address", flat=True))
    new = addresses - known
    if new:
        KnownRecipient.objects.bulk_create([KnownRecipient(account_id=account_id, address=address, first_sent=now)
                                            for address in new], ignore_conflicts=True)
    counted = {"messages": F("messages") + len(messages),
               "recipients": F("recipients") + sum(len(recipients) for recipients in messages),
               "new_recipients": F("new_recipients") + len(new)}
    row = SendingHour.objects.filter(account_id=account_id, hour=hour)
    if not row.update(**counted):
        SendingHour.objects.bulk_create([SendingHour(account_id=account_id, hour=hour)], ignore_conflicts=True)
        row.update(**counted)
    figures = row.values("messages", "recipients", "new_recipients",
                         "account__domain__send_alert_floor", "account__domain__send_alert_factor",
                         "account__domain__send_alert_new_recipients").first()
    state = SendingState.objects.filter(account_id=account_id).first()
    reason = over_limits(account_id, hour, figures, state, now)
    if reason:
        hold(account_id, *reason, now=now)


def over_limits(account_id: int, hour, figures: dict, state: SendingState | None, now) -> tuple[str, str] | None:
    """(reason, detail) if this hour's figures call for a hold, else None."""
    if state is not None and (state.held or (state.quiet_until and now < state.quiet_until)):
        return None
    trusted_messages = state.trusted_messages if state else 0
    trusted_new = state.trusted_new_recipients if state else 0
    new_limit = baseline.new_recipients_limit(figures["account__domain__send_alert_new_recipients"], trusted_new)
    if new_limit is not None and figures["new_recipients"] > new_limit:
        return (SendingState.Reason.NEW_RECIPIENTS,
                f"{figures['new_recipients']} new recipients this hour (limit {new_limit})")
    usual_messages, usual_recipients = usual_hour(account_id, hour)
    floor, factor = figures["account__domain__send_alert_floor"], figures["account__domain__send_alert_factor"]
    for name, count, usual in (("messages", figures["messages"], usual_messages),
                               ("recipients", figures["recipients"], usual_recipients)):
        limit = baseline.volume_limit(usual, floor, factor, trusted_messages)
        if limit is not None and count > limit:
            return SendingState.Reason.VOLUME, f"{count} {name} this hour (usual {usual}, limit {limit})"
    return None


def usual_hour(account_id: int, hour) -> tuple[int, int]:
    """The p95 hourly (messages, recipients) of the 14 days before this hour; once per hour per process."""
    key = (account_id, hour)
    if key not in _usual:
        if len(_usual) > 10000:
            _usual.clear()
        rows = list(SendingHour.objects.filter(account_id=account_id, hour__gte=hour - baseline.HISTORY,
                                               hour__lt=hour).values_list("messages", "recipients"))
        _usual[key] = (baseline.p95([m for m, _r in rows]), baseline.p95([r for _m, r in rows]))
    return _usual[key]


def forget_usual() -> None:
    """Drop the cached baselines and sign-ins (a release that trusts, tests)."""
    _usual.clear()
    _recent_sign_ins.clear()


def note_sign_in(account, remote_ip: str | None, now=None) -> None:
    """Remember the sign-in's network; hold the account when it is new for an account with a past.

    An account's very first sign-in teaches its first network and holds nothing. Never
    raises: a failure here must not refuse a sign-in whose password was right.
    """
    try:
        with transaction.atomic():
            _note_sign_in(account, remote_ip, now)
    except Exception:
        log.exception("sending alerts: could not note the sign-in of account %s", account.pk)


def _note_sign_in(account, remote_ip: str | None, now=None) -> None:
    network = baseline.network_of(remote_ip)
    if not network:
        return
    # IMAP clients sign in many times an hour from the same place: look it up once a while.
    key, tick = (account.pk, network), time.monotonic()
    if tick - _recent_sign_ins.get(key, -SIGN_IN_MEMO) < SIGN_IN_MEMO:
        return
    if len(_recent_sign_ins) > 10000:
        _recent_sign_ins.clear()
    _recent_sign_ins[key] = tick
    now = now or timezone.now()
    seen = SignInNetwork.objects.filter(account_id=account.pk, network=network).first()
    if seen is not None and now - seen.last_seen < NETWORK_MEMORY:
        if now - seen.last_seen > NETWORK_TOUCH:
            SignInNetwork.objects.filter(pk=seen.pk).update(last_seen=now)
        return
    has_past = SignInNetwork.objects.filter(account_id=account.pk).exists()
    if seen is None:
        SignInNetwork.objects.bulk_create([SignInNetwork(account_id=account.pk, network=network, first_seen=now,
                                                         last_seen=now)], ignore_conflicts=True)
    else:
        SignInNetwork.objects.filter(pk=seen.pk).update(last_seen=now)
    if has_past and Domain.objects.filter(pk=account.domain_id, send_alert_new_network=True).exists():
        hold(account.pk, SendingState.Reason.NEW_NETWORK, f"sign-in from {network}", now=now)
