"""Calendar arithmetic: which slots a scheduled tick should produce."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable


def next_day_slots(
    now: dt.datetime, channels: Iterable[str], start: dt.date
) -> list[tuple[str, str]]:
    """(date, channel) for tomorrow's slots of every channel, none before the calendar starts."""
    tomorrow = (now.astimezone(dt.UTC) + dt.timedelta(days=1)).date()
    if tomorrow < start:
        return []
    return [(tomorrow.isoformat(), c) for c in channels]
