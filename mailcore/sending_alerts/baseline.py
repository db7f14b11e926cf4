"""The arithmetic of "far above its usual": plain functions, no database.

An account's usual hour is the 95th percentile of its hourly counts over the last
14 days, hours it sent nothing counting as 0: one busy hour a day is usual (p95 of 336
hours is the 17th busiest), a flood never seen before is not. The limit is the larger
of the domain's floor (quiet accounts may still send a newsletter's worth) and its
factor times that percentile (or the figure an admin trusted on release).
"""
import math
from datetime import datetime, timedelta

HISTORY = timedelta(days=14)
HISTORY_HOURS = 14 * 24


def hour_of(moment: datetime) -> datetime:
    """The start of the clock hour a moment falls in."""
    return moment.replace(minute=0, second=0, microsecond=0)


def p95(counts: list[int], hours: int = HISTORY_HOURS) -> int:
    """The nearest-rank 95th percentile of hourly counts, the hours not listed being 0."""
    values = sorted([*counts, *[0] * max(0, hours - len(counts))])
    if not values:
        return 0
    return values[math.ceil(0.95 * len(values)) - 1]


def volume_limit(usual: int, floor: int, factor: int, trusted: int = 0) -> int | None:
    """The most an hour may hold before the account is held; None: the domain turned it off."""
    if not factor:
        return None
    return max(floor, factor * max(usual, trusted))


def new_recipients_limit(threshold: int, trusted: int = 0) -> int | None:
    if not threshold:
        return None
    return max(threshold, trusted)


def network_of(remote_ip: str | None) -> str:
    """The network an address belongs to for "a new network": IPv4 /24, IPv6 /48 ("" if none)."""
    import ipaddress

    if not remote_ip:
        return ""
    try:
        address = ipaddress.ip_address(remote_ip.split("%")[0])
    except ValueError:
        return ""
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))
