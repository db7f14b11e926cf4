"""Celery beat task: expired lockouts, login failures and rate-limit windows go.

The windows are many under attack (smtp/refusals.py keeps one per guessing client
address), so they are purged hourly rather than left to grow.
"""
from celery import shared_task

from . import lockout, ratelimit


@shared_task(name="mailcore.auth.purge_expired", ignore_result=True)
def purge_expired() -> int:
    return lockout.purge_expired() + ratelimit.purge_expired()
