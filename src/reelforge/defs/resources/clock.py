"""The clock: what "now" is for the assets and sensors that publish and measure.

Real time by default; a fixed instant when `fixed_now` is set (`REELFORGE_NOW`), so tests and
replays can stand at any moment and advance it (quota windows, deferrals, snapshot ages).
"""

from __future__ import annotations

import datetime as dt

import dagster as dg
from pydantic import field_validator


class Clock(dg.ConfigurableResource):
    """Now, in UTC: the real time, or `fixed_now` (ISO 8601) when it is set."""

    fixed_now: str = ""

    @field_validator("fixed_now")
    @classmethod
    def _iso(cls, v: str) -> str:
        if v:
            try:
                dt.datetime.fromisoformat(v)
            except ValueError:
                raise ValueError(f"fixed_now {v!r} is not an ISO 8601 time") from None
        return v

    def now(self) -> dt.datetime:
        if not self.fixed_now:
            return dt.datetime.now(dt.UTC)
        at = dt.datetime.fromisoformat(self.fixed_now)
        return (at if at.tzinfo else at.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)

    @classmethod
    def at(cls, when: dt.datetime) -> Clock:
        return cls(fixed_now=when.isoformat())
