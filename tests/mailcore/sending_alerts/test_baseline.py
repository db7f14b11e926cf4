"""The arithmetic of an account's usual hour (mailcore/sending_alerts/baseline.py)."""
from datetime import UTC, datetime

from mailcore.sending_alerts import baseline


def test_p95_counts_the_silent_hours_as_zero():
    # Two busy hours in 14 days are not an account's usual hour: 95% of 336 hours were silent.
    assert baseline.p95([40, 50]) == 0
    # 17 hours of 10 or more in 336 is about one busy hour a day: that is its usual peak.
    assert baseline.p95([10] * 17 + [3] * 100) == 10
    assert baseline.p95([10] * 16 + [3] * 100) == 3


def test_p95_is_the_nearest_rank_of_the_listed_hours():
    assert baseline.p95(list(range(1, 101)), hours=100) == 95
    assert baseline.p95([], hours=0) == 0


def test_the_volume_limit_is_the_floor_for_a_quiet_account():
    assert baseline.volume_limit(usual=0, floor=100, factor=5) == 100
    assert baseline.volume_limit(usual=3, floor=100, factor=5) == 100


def test_the_volume_limit_grows_with_the_usual_hour_and_a_trusted_figure():
    assert baseline.volume_limit(usual=60, floor=100, factor=5) == 300
    assert baseline.volume_limit(usual=60, floor=100, factor=5, trusted=200) == 1000


def test_a_factor_of_zero_turns_the_volume_rule_off():
    assert baseline.volume_limit(usual=0, floor=100, factor=0) is None


def test_the_new_recipients_limit_is_the_domain_threshold_or_a_trusted_figure():
    assert baseline.new_recipients_limit(50) == 50
    assert baseline.new_recipients_limit(50, trusted=120) == 120
    assert baseline.new_recipients_limit(0, trusted=120) is None


def test_networks_are_ipv4_slash_24_and_ipv6_slash_48():
    assert baseline.network_of("203.0.113.77") == "203.0.113.0/24"
    assert baseline.network_of("2001:db8:1234:5678::1") == "2001:db8:1234::/48"
    assert baseline.network_of("::ffff:198.51.100.9") == "198.51.100.0/24"


def test_no_network_for_no_address_or_a_bad_one():
    assert baseline.network_of(None) == ""
    assert baseline.network_of("not an address") == ""


def test_hours_start_on_the_hour():
    assert baseline.hour_of(datetime(2026, 12, 8, 1, 59, 7, 3, tzinfo=UTC)) == datetime(2026, 12, 8, 1, tzinfo=UTC)
