"""Rate limits: messages per account and hour, the generic RateLimit, its window and its races."""
import re
import threading

import pytest
from django.db import connection

from mailcore.auth import ratelimit
from mailcore.auth.errors import RateLimited
from mailcore.auth.models import RateWindow
from mailcore.auth.ratelimit import RateLimit, check_send_rate


def age(limit: RateLimit, seconds: float):
    """Make every event recorded for limit look `seconds` older."""
    row = RateWindow.objects.get(key=limit.key)
    shift = round(seconds / limit.bucket_seconds)
    row.buckets = {str(int(number) - shift): count for number, count in row.buckets.items()}
    row.save()


def test_an_account_may_send_up_to_its_hourly_limit(alice, settings):
    settings.HOPTHU_SEND_RATE_PER_HOUR = 3
    for _i in range(3):
        check_send_rate(alice)
    with pytest.raises(RateLimited) as info:
        check_send_rate(alice)
    assert 3540 <= info.value.retry_after <= 3660
    # An event counts until its whole one-minute bucket has left the hour.
    assert re.fullmatch(r"Too many messages in too short a time; try again in 6[01] minutes\.", info.value.message)


def test_the_default_is_500_an_hour(alice):
    check_send_rate(alice, count=500)
    with pytest.raises(RateLimited):
        check_send_rate(alice)


def test_count_takes_several_messages_at_once_and_a_refusal_records_none(alice, settings):
    settings.HOPTHU_SEND_RATE_PER_HOUR = 5
    check_send_rate(alice, count=4)
    with pytest.raises(RateLimited):
        check_send_rate(alice, count=2)
    check_send_rate(alice, count=1)
    assert RateLimit(f"send:{alice.pk}", 5, 3600).used() == 5


def test_zero_means_unlimited(alice, settings):
    settings.HOPTHU_SEND_RATE_PER_HOUR = 0
    check_send_rate(alice, count=10_000)
    assert not RateWindow.objects.exists()


def test_each_account_has_its_own_count(alice, bob, settings):
    settings.HOPTHU_SEND_RATE_PER_HOUR = 1
    check_send_rate(alice)
    check_send_rate(bob)
    with pytest.raises(RateLimited):
        check_send_rate(alice)


def test_messages_older_than_an_hour_no_longer_count(alice, settings):
    settings.HOPTHU_SEND_RATE_PER_HOUR = 2
    check_send_rate(alice, count=2)
    limit = RateLimit(f"send:{alice.pk}", 2, 3600)
    age(limit, 3600 - 120)
    with pytest.raises(RateLimited) as info:
        check_send_rate(alice)
    assert 60 <= info.value.retry_after <= 180
    age(limit, 180)
    check_send_rate(alice)


def test_retry_after_waits_only_for_as_many_old_events_as_needed(db):
    limit = RateLimit("test:retry", 3, 600)
    limit.hit(2)
    age(limit, 300)
    limit.hit(1)
    with pytest.raises(RateLimited) as info:
        limit.hit(1)
    assert 300 - limit.bucket_seconds <= info.value.retry_after <= 300 + limit.bucket_seconds


def test_more_than_the_limit_at_once_can_never_pass(db):
    with pytest.raises(RateLimited) as info:
        RateLimit("test:big", 3, 60).hit(4)
    assert info.value.retry_after == 60


def test_a_generic_limit_with_its_own_key_and_window(db):
    relay = RateLimit("relay-token:7", 2, 10)
    relay.hit()
    relay.hit()
    with pytest.raises(RateLimited):
        relay.hit()
    RateLimit("relay-token:8", 2, 10).hit()
    assert relay.used() == 2
    relay.reset()
    assert relay.used() == 0
    relay.hit()


def test_a_window_must_be_positive():
    with pytest.raises(ValueError):
        RateLimit("test:bad", 1, 0)


def test_purge_removes_windows_with_nothing_left_to_count(db):
    RateLimit("test:old", 5, 60).hit()
    RateLimit("test:new", 5, 3600).hit()
    RateWindow.objects.filter(key="test:old").update(expires="2000-01-01T00:00:00Z")
    assert ratelimit.purge_expired() == 1
    assert list(RateWindow.objects.values_list("key", flat=True)) == ["test:new"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_hits_never_exceed_the_limit():
    limit = RateLimit("test:race", 10, 3600)
    passed, refused = [], []
    start = threading.Barrier(16)

    def sender():
        try:
            start.wait()
            for _i in range(2):
                try:
                    RateLimit(limit.key, limit.limit, limit.window).hit()
                    passed.append(1)
                except RateLimited:
                    refused.append(1)
        finally:
            connection.close()

    threads = [threading.Thread(target=sender) for _i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(passed) == 10
    assert len(refused) == 22
    assert limit.used() == 10


def test_the_hourly_purge_removes_windows_past_their_time(db):
    # Refused-RCPT counts (smtp/refusals.py) make a window per guessing client address.
    from datetime import timedelta

    from django.utils import timezone

    from mailcore.auth.models import RateWindow
    from mailcore.auth.tasks import purge_expired

    RateWindow.objects.create(key="rcpt-refused:192.0.2.1", expires=timezone.now() - timedelta(seconds=1))
    RateWindow.objects.create(key="rcpt-refused:192.0.2.2", expires=timezone.now() + timedelta(minutes=5))
    assert purge_expired() == 1
    assert list(RateWindow.objects.values_list("key", flat=True)) == ["rcpt-refused:192.0.2.2"]
