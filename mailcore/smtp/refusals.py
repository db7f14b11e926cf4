"""Refused RCPTs counted per client address, across sessions: the brake on guessing.

A client that names mailboxes we do not have, relays we refuse or SRS addresses we never
signed (delivery/srs.py) is guessing. Its refusals are counted per address (an IPv6 /64
as one, as auth/lockout.py does) for HOPTHU_SMTP_REFUSED_RCPT_WINDOW_SECONDS (600), in
the database (auth/ratelimit.py), so every mail-core process and a reconnecting client
see the same count. Past HOPTHU_SMTP_MAX_REFUSED_RCPTS (10) each refusal is answered
HOPTHU_SMTP_TARPIT_SECONDS (1) more slowly than the last, at most
HOPTHU_SMTP_TARPIT_MAX_SECONDS (10) (the sleep is the handler's, on the event loop);
past twice as many the session ends with 421 4.7.0 (RFC 5321 §3.8), as Postfix's
smtpd_hard_error_limit does. Only permanent refusals count: a full mailbox or a
greylisting 4xx is the server's state, not a guess.

Blocking (database): call note() through host.run_blocking.
"""
from dataclasses import dataclass

from django.conf import settings

from mailcore.auth.lockout import ip_key
from mailcore.auth.ratelimit import RateLimit

CLOSE_REPLY = "421 4.7.0 Too many refused recipients; closing the session"
_NO_CEILING = 1_000_000  # the window counts; nothing is refused by the counter itself


@dataclass(frozen=True)
class Brake:
    delay: float = 0.0  # seconds to wait before the refusal is sent
    close: bool = False  # answer CLOSE_REPLY and end the session instead


def note(client_ip: str | None) -> Brake:
    """Count one refused RCPT from client_ip; return how to answer it."""
    limit = getattr(settings, "HOPTHU_SMTP_MAX_REFUSED_RCPTS", 10)
    if limit <= 0 or not client_ip:
        return Brake()
    window = RateLimit(f"rcpt-refused:{ip_key(client_ip)}", _NO_CEILING,
                       getattr(settings, "HOPTHU_SMTP_REFUSED_RCPT_WINDOW_SECONDS", 600))
    window.hit()
    count = window.used()
    if count <= limit:
        return Brake()
    step = float(getattr(settings, "HOPTHU_SMTP_TARPIT_SECONDS", 1))
    delay = min(step * (count - limit), float(getattr(settings, "HOPTHU_SMTP_TARPIT_MAX_SECONDS", 10)))
    return Brake(delay=delay, close=count > 2 * limit)
