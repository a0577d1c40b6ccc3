"""Calendar partitions: one partition per (date, channel) slot, channels from the config."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import dagster as dg

from reelforge.config import ChannelsConfig, load_config
from reelforge.settings import load_settings


@lru_cache(maxsize=1)
def current_config() -> ChannelsConfig:
    """The channels config this process runs with (REELFORGE_CONFIG or the default file)."""
    return load_config(load_settings().config_path)


def build_episode_partitions(config: ChannelsConfig) -> dg.MultiPartitionsDefinition:
    return dg.MultiPartitionsDefinition(
        {
            # end_offset=2: today's and tomorrow's slots exist, so the calendar can run ahead.
            "date": dg.DailyPartitionsDefinition(
                start_date=config.calendar.start_date.isoformat(), end_offset=2
            ),
            "channel": dg.StaticPartitionsDefinition([c.slug for c in config.channels]),
        }
    )


episode_partitions = build_episode_partitions(current_config())


def episode_key(date: str | dt.date, channel: str) -> dg.MultiPartitionKey:
    day = date.isoformat() if isinstance(date, dt.date) else date
    return dg.MultiPartitionKey({"date": day, "channel": channel})


def slot_of(context: dg.AssetExecutionContext) -> tuple[str, str]:
    """(date, channel) of the partition being materialized."""
    key = context.partition_key
    if not isinstance(key, dg.MultiPartitionKey):
        raise dg.Failure(f"expected a date × channel partition, got {key!r}")
    dims = key.keys_by_dimension
    return dims["date"], dims["channel"]
