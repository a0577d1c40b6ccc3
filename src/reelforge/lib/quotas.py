"""Upload quotas per platform and account: pure window math over what the ledger admitted.

A quota is a list of limits, each over a window:
- ``rolling``: at most ``max`` in any ``seconds``-long window ending now (Instagram's 50 posts
  per rolling 24 h, TikTok's init calls per minute);
- ``day``: at most ``max`` per calendar day in ``timezone`` (YouTube's daily quota, which
  resets at midnight Pacific time).

A limit measures ``uploads`` (one per admitted upload) or ``units`` (API units, e.g. YouTube's
``videos.insert`` + ``thumbnails.set`` + ``captions.insert``). An upload that does not fit is
deferred to the first moment every limit has room for it (``not_before``), never failed —
unless it could never fit (it alone needs more units than a whole window allows).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

# Admissions older than this never matter to any window (a day in any timezone, plus slack).
LOOKBACK = dt.timedelta(hours=50)


class Limit(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=60, description="shown in deferral reasons")
    max: int = Field(ge=0)
    window: Literal["rolling", "day"]
    seconds: int | None = Field(None, gt=0, le=86_400, description="rolling windows only")
    timezone: str = Field("UTC", description="day windows: when the day starts")
    measure: Literal["uploads", "units"] = "uploads"

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{v!r} is not an IANA time zone (e.g. America/Los_Angeles)") from None
        return v

    @model_validator(mode="after")
    def _shape(self) -> Limit:
        if self.window == "rolling" and self.seconds is None:
            raise ValueError(f"{self.name}: a rolling window needs `seconds`")
        if self.window == "day" and self.seconds is not None:
            raise ValueError(f"{self.name}: `seconds` is for rolling windows only")
        return self


class Quota(BaseModel):
    """The limits of one platform (and their per-account overrides)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    limits: list[Limit] = Field(default_factory=list)
    # API units one upload spends, by call (summed); only `units` limits read them.
    units_per_upload: dict[str, int] = Field(default_factory=dict)
    # Accounts whose limits differ from the platform's (e.g. a verified channel).
    accounts: dict[str, list[Limit]] = Field(default_factory=dict)

    @property
    def upload_units(self) -> int:
        return sum(self.units_per_upload.values())

    def limits_for(self, account: str) -> list[Limit]:
        return list(self.accounts.get(account, self.limits))


UNLIMITED = Quota()


@dataclass(frozen=True)
class Admission:
    """One admitted upload, as counted against later ones."""

    at: dt.datetime
    units: int = 0


@dataclass(frozen=True)
class Decision:
    allowed: bool
    not_before: dt.datetime | None = None  # when deferred: the earliest time it fits
    reason: str = ""
    never: bool = False  # it can never fit: fail instead of deferring


def _aware(t: dt.datetime) -> dt.datetime:
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)


def _day_bounds(limit: Limit, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    tz = ZoneInfo(limit.timezone)
    local = now.astimezone(tz)
    start = dt.datetime.combine(local.date(), dt.time(0), tzinfo=tz)
    end = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def _amount(limit: Limit, admission: Admission) -> int:
    return 1 if limit.measure == "uploads" else admission.units


def _fits_at(limit: Limit, past: Sequence[Admission], now: dt.datetime, need: int) -> dt.datetime:
    """The earliest time ≥ now at which `need` more fits in this limit."""
    if limit.window == "day":
        start, end = _day_bounds(limit, now)
        used = sum(_amount(limit, a) for a in past if start <= a.at < end)
        return now if used + need <= limit.max else end
    window = dt.timedelta(seconds=limit.seconds or 0)
    inside = sorted((a for a in past if now - window < a.at <= now), key=lambda a: a.at)
    used = sum(_amount(limit, a) for a in inside)
    if used + need <= limit.max:
        return now
    # Wait until enough of the oldest admissions have left the window.
    freed = 0
    for a in inside:
        freed += _amount(limit, a)
        if used - freed + need <= limit.max:
            return a.at + window
    return now + window  # unreachable when need <= max (checked by the caller)


def describe(limit: Limit) -> str:
    if limit.window == "day":
        span = "day" if limit.timezone == "UTC" else f"day ({limit.timezone})"
    elif limit.seconds and limit.seconds % 3600 == 0:
        span = f"rolling {limit.seconds // 3600} h"
    else:
        span = f"rolling {limit.seconds} s"
    what = "uploads" if limit.measure == "uploads" else "API units"
    return f"{limit.name}: {limit.max} {what} per {span}"


def check(
    quota: Quota,
    account: str,
    past: Iterable[Admission],
    now: dt.datetime,
) -> Decision:
    """May one more upload of `account` start at `now`? If not, from when.

    `past` are the uploads already admitted for this platform and account (any age; older
    ones are ignored). Limits interact (a rolling window may open inside a full day), so the
    earliest time is searched until every limit agrees.
    """
    now = _aware(now).astimezone(dt.UTC)
    events = [Admission(_aware(a.at).astimezone(dt.UTC), a.units) for a in past]
    limits = quota.limits_for(account)
    units = quota.upload_units
    for limit in limits:
        need = 1 if limit.measure == "uploads" else units
        if need > limit.max:
            return Decision(
                False,
                reason=f"{describe(limit)}, but one upload needs {need}: it can never fit",
                never=True,
            )
    at = now
    blocking: Limit | None = None
    for _ in range(64):  # each pass moves `at` forward; limits are few
        moved = False
        for limit in limits:
            need = 1 if limit.measure == "uploads" else units
            fits = _fits_at(limit, events, at, need)
            if fits > at:
                at, blocking, moved = fits, limit, True
        if not moved:
            break
    if at <= now or blocking is None:
        return Decision(True)
    return Decision(
        False, not_before=at, reason=f"quota {describe(blocking)} used up until {at.isoformat()}"
    )
