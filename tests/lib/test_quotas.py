"""Quota window math with an injectable clock, and the `quotas:` section of platforms.yaml."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from reelforge.constants import DEFAULT_PLATFORMS
from reelforge.lib.platform_limits import (
    PlatformLimitsError,
    load_platform_quotas,
    parse_platform_quotas,
)
from reelforge.lib.quotas import Admission, Limit, Quota, check

T0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def _at(*minutes: float) -> list[Admission]:
    return [Admission(T0 + dt.timedelta(minutes=m)) for m in minutes]


def test_rolling_window_opens_when_the_oldest_admission_leaves_it() -> None:
    quota = Quota(limits=[Limit(name="posts_per_24h", max=3, window="rolling", seconds=86400)])
    past = _at(0, 60, 120)
    assert check(quota, "a", past[:2], T0 + dt.timedelta(hours=3)).allowed
    decision = check(quota, "a", past, T0 + dt.timedelta(hours=3))
    assert not decision.allowed and not decision.never
    assert decision.not_before == T0 + dt.timedelta(hours=24)
    assert "posts_per_24h: 3 uploads per rolling 24 h" in decision.reason
    # Exactly when the first one leaves the window, one more fits.
    assert check(quota, "a", past, T0 + dt.timedelta(hours=24)).allowed


def test_instagram_fifty_posts_per_rolling_day() -> None:
    quota = load_platform_quotas(DEFAULT_PLATFORMS)["instagram"]
    past = _at(*range(0, 50 * 10, 10))  # 50 posts, one every 10 minutes
    now = T0 + dt.timedelta(hours=9)
    decision = check(quota, "brand", past, now)
    assert decision.not_before == T0 + dt.timedelta(hours=24)
    assert check(quota, "brand", past[1:], now).allowed


def test_day_window_resets_at_midnight_in_its_time_zone() -> None:
    quota = Quota(
        limits=[Limit(name="uploads", max=2, window="day", timezone="America/Los_Angeles")]
    )
    now = dt.datetime(2026, 12, 1, 20, 0, tzinfo=dt.UTC)  # 12:00 in Los Angeles
    decision = check(quota, "a", _at(0, 30), now)  # 01:00 and 01:30 Los Angeles time
    midnight_la = dt.datetime(2026, 12, 2, tzinfo=ZoneInfo("America/Los_Angeles"))
    assert decision.not_before == midnight_la.astimezone(dt.UTC)
    # Admissions of the previous Los Angeles day do not count.
    assert check(quota, "a", _at(-60 * 10, -60 * 9), now).allowed


def test_youtube_api_units_allow_four_uploads_a_day() -> None:
    quota = load_platform_quotas(DEFAULT_PLATFORMS)["youtube"]
    assert quota.upload_units == 1600 + 50 + 400
    past = [Admission(T0 + dt.timedelta(minutes=i), quota.upload_units) for i in range(4)]
    decision = check(quota, "channel", past, T0 + dt.timedelta(minutes=10))
    assert not decision.allowed
    assert "api_units: 10000 API units per day (America/Los_Angeles)" in decision.reason
    assert check(quota, "channel", past[:3], T0 + dt.timedelta(minutes=10)).allowed


def test_tiktok_init_rate_per_minute_and_daily_cap() -> None:
    quota = load_platform_quotas(DEFAULT_PLATFORMS)["tiktok"]
    burst = [Admission(T0 + dt.timedelta(seconds=s)) for s in range(0, 60, 10)]  # 6 in 50 s
    decision = check(quota, "creator", burst, T0 + dt.timedelta(seconds=55))
    assert decision.not_before == T0 + dt.timedelta(seconds=60)
    assert "init_per_minute" in decision.reason
    spread = _at(*range(0, 15 * 30, 30))  # 15 in the day, one every 30 minutes
    capped = check(quota, "creator", spread, T0 + dt.timedelta(hours=8))
    assert capped.not_before == dt.datetime(2026, 12, 2, tzinfo=dt.UTC)


def test_limits_combine_to_the_earliest_time_all_agree() -> None:
    quota = Quota(
        limits=[
            Limit(name="per_minute", max=1, window="rolling", seconds=60),
            Limit(name="per_day", max=3, window="day"),
        ]
    )
    decision = check(quota, "a", _at(0, 1, 2), T0 + dt.timedelta(minutes=2, seconds=10))
    assert decision.not_before == dt.datetime(2026, 12, 2, tzinfo=dt.UTC)
    assert "per_day" in decision.reason


def test_an_upload_that_can_never_fit_is_not_deferred_forever() -> None:
    quota = Quota(
        units_per_upload={"videos.insert": 1600},
        limits=[Limit(name="api_units", max=1000, window="day", measure="units")],
    )
    decision = check(quota, "a", [], T0)
    assert decision.never and not decision.allowed and "can never fit" in decision.reason


def test_account_overrides_and_unlimited_default() -> None:
    quota = Quota(
        limits=[Limit(name="per_day", max=1, window="day")],
        accounts={"big": [Limit(name="per_day", max=5, window="day")]},
    )
    assert not check(quota, "small", _at(0), T0).allowed
    assert check(quota, "big", _at(0, 1, 2), T0 + dt.timedelta(minutes=5)).allowed
    assert check(Quota(), "any", _at(*range(500)), T0 + dt.timedelta(hours=9)).allowed
    assert "outbox" not in load_platform_quotas(DEFAULT_PLATFORMS)


@pytest.mark.parametrize(
    ("quotas", "hint"),
    [
        ({"outbox": {"limits": [{"name": "x", "max": 1, "window": "rolling"}]}}, "seconds"),
        ({"outbox": {"limits": [{"name": "x", "max": 1, "window": "day", "timezone": "Mars"}]}},
         "IANA"),
        ({"myspace": {}}, "unknown platforms: myspace"),
        ({"outbox": {"limits": [{"name": "x", "max": -1, "window": "day"}]}}, "max"),
    ],
)  # fmt: skip
def test_bad_quota_config_names_the_field(quotas: dict, hint: str) -> None:
    data = {"platforms": {"outbox": {"min_seconds": 1, "max_seconds": 60}}, "quotas": quotas}
    with pytest.raises(PlatformLimitsError) as err:
        parse_platform_quotas(data, "test.yaml")
    assert hint in str(err.value) and "test.yaml" in str(err.value)
