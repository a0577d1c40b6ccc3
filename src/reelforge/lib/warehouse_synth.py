"""A synthetic warehouse of any size, generated inside DuckDB (for benchmarks and tests).

The tables are the ones `episode_warehouse` writes (`lib.warehouse.SCHEMA`), filled with
`INSERT ... BY NAME` so columns added to the schema later stay NULL instead of breaking it.
Every fifth episode is in an A/B experiment (same plan, two hook styles). Each episode gets
`posts_per_episode` posts (one per platform) with one snapshot per age,
about 6 provider calls (a share of them paid), and views from a response surface over the
plan parameters with noise, so arm comparisons have something to find.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb

from reelforge.constants import SNAPSHOT_AGES_HOURS
from reelforge.lib import warehouse

PLATFORMS = ("outbox", "youtube", "tiktok", "instagram")
GENRES = ("space", "history", "nature", "mystery", "science", "motivation")
HOOKS = ("question", "shocking_fact", "countdown", "story_open")
MOODS = ("calm", "upbeat", "mysterious", "epic", "dark")
CAPTIONS = ("karaoke", "pop", "phrase")
VOICES = ("en-us", "en-gb")
STAGES = ("story", "speech", "images", "images", "music", "moderation")


def _pick(values: tuple[str, ...], seed: str) -> str:
    items = ", ".join(f"'{v}'" for v in values)
    return f"([{items}])[1 + cast(hash({seed}) % {len(values)} as integer)]"


def generate(
    path: Path,
    snapshots: int = 1_000_000,
    *,
    channels: int = 20,
    posts_per_episode: int = 2,
    start_date: str = "2025-01-01",
    channel_names: Sequence[str] = (),
) -> dict[str, int]:
    """Write a fresh warehouse at `path` with about `snapshots` engagement rows.

    Channels are `channel_names` if given (their count overrides `channels`), else ch00, ch01…
    """
    if channel_names:
        channels = len(channel_names)
    if path.exists():
        path.unlink()
    ages = list(SNAPSHOT_AGES_HOURS)
    n_episodes = max(1, snapshots // (posts_per_episode * len(ages)))
    per_day = max(1, min(24, n_episodes // (channels * 200) or 1))
    platforms = PLATFORMS[:posts_per_episode]
    ages_sql = ", ".join(str(a) for a in ages)
    channel_sql = (
        "(["
        + ", ".join(f"'{c}'" for c in channel_names)
        + f"])[1 + cast(i % {channels} as integer)]"
        if channel_names
        else f"'ch' || lpad(cast(i % {channels} as varchar), 2, '0')"
    )
    with duckdb.connect(str(path)) as con:
        warehouse.ensure_schema(con)
        con.execute(
            f"""
            create temp table ep as
            select i,
                   {channel_sql} as channel,
                   cast('{start_date}' as date)
                       + cast(i // ({channels} * {per_day}) as integer) as date,
                   (i // {channels}) % {per_day} as slot,
                   {_pick(GENRES, "i * 7 + 1")} as genre,
                   {_pick(HOOKS, "i * 7 + 2")} as hook_style,
                   {_pick(VOICES, "i * 7 + 3")} as voice,
                   140 + 10 * cast(hash(i * 7 + 4) % 8 as integer) as speaking_rate_wpm,
                   {_pick(MOODS, "i * 7 + 5")} as music_mood,
                   25 + 5 * cast(hash(i * 7 + 6) % 10 as integer) as target_seconds,
                   {_pick(CAPTIONS, "i * 7 + 7")} as caption_style,
                   8 + cast(hash(i * 7 + 8) % 14 as integer) as posting_hour,
                   (hash(i * 13) % 100) < 15 as paid
            from range({n_episodes}) t(i)
            """  # nosec B608 # only constant table and column names are interpolated; values are bound
        )
        # Every fifth episode belongs to an A/B experiment: one plan, two hook styles.
        con.execute(
            """
            update ep set genre = 'space', voice = 'en-us', speaking_rate_wpm = 170,
                          music_mood = 'epic', target_seconds = 40, caption_style = 'pop',
                          posting_hour = 18,
                          hook_style = case when hash(i * 29) % 2 = 0 then 'question'
                                            else 'shocking_fact' end
            where i % 5 = 0
            """
        )
        con.execute(
            """
            insert into episodes by name
            select channel || '-' || cast(date as varchar) || '-' || slot as episode_id,
                   channel, date, 'Episode ' || i as title, genre, hook_style, voice,
                   speaking_rate_wpm, music_mood, target_seconds, caption_style, posting_hour,
                   case when i % 5 = 0 then 'exp-' || (i % 3) else 'baseline' end
                       as experiment_id,
                   120 + (i % 60) as word_count, target_seconds * 0.95 as duration_s,
                   'sha256/00/' || md5(cast(i as varchar)) || md5(cast(i as varchar)) || '.mp4'
                       as video_key,
                   current_timestamp as materialized_at
            from ep
            """
        )
        stages = ", ".join(f"'{s}'" for s in STAGES)
        con.execute(
            f"""
            insert into provider_calls by name
            select md5(cast(i as varchar) || '|' || k) || md5(cast(k as varchar)) as request_hash,
                   channel || '-' || cast(date as varchar) || '-' || slot as episode_id,
                   ([{stages}])[k + 1] as stage,
                   case when paid then 'openai' else 'local' end as provider,
                   'm' as model, 'units' as unit, 100.0 as units,
                   case when paid then 0.0004 else 0 end as unit_price_usd,
                   case when paid then 0.01 + (hash(i * 31 + k) % 100) / 1000.0 else 0 end
                       as cost_usd,
                   0.5 + (hash(i + k) % 100) / 50.0 as duration_s,
                   cast(date as timestamptz) + to_hours(posting_hour - 2)
                       + to_seconds(k * 30) as created_at
            from ep, range({len(STAGES)}) s(k)
            """  # nosec B608 # only constant table and column names are interpolated; values are bound
        )
        plats = ", ".join(f"'{p}'" for p in platforms)
        con.execute(
            f"""
            insert into uploads by name
            select md5(cast(i as varchar) || p) as upload_key,
                   channel || '-' || cast(date as varchar) || '-' || slot as episode_id,
                   p as platform, 'main' as account, md5(cast(i as varchar)) as content_hash,
                   case when hash(i * 17) % 50 = 0 then 'failed'
                        when hash(i * 19) % 40 = 0 then 'deferred'
                        else 'published' end as state,
                   p || '-' || i as post_id, 'https://example.invalid/' || p || '/' || i as url,
                   cast(date as timestamptz) + to_hours(posting_hour) as updated_at
            from ep, unnest([{plats}]) u(p)
            """  # nosec B608 # only constant table and column names are interpolated; values are bound
        )
        con.execute(
            f"""
            insert into engagement by name
            with base as (
                select i, channel, date, slot, posting_hour, p,
                       1500 * (case genre when 'space' then 1.35 when 'mystery' then 1.25
                                          when 'history' then 1.1 when 'science' then 0.95
                                          when 'motivation' then 0.8 else 1.0 end)
                            * (case hook_style when 'shocking_fact' then 1.3
                                               when 'question' then 1.15
                                               when 'story_open' then 0.9 else 1.0 end)
                            * exp(0.25 * ((hash(i * 23 + length(p)) % 1000) / 500.0 - 1))
                           as final_views
                from ep, unnest([{plats}]) u(p)
            )
            select channel || '-' || cast(date as varchar) || '-' || slot as episode_id,
                   p as platform, p || '-' || i as post_id, a as age_hours,
                   cast(final_views * (1 - exp(-a / 18.0)) as bigint) as views,
                   cast(final_views * (1 - exp(-a / 18.0)) * 0.045 as bigint) as likes,
                   cast(final_views * (1 - exp(-a / 18.0)) * 0.004 as bigint) as comments,
                   cast(final_views * (1 - exp(-a / 18.0)) * 0.007 as bigint) as shares,
                   final_views * (1 - exp(-a / 18.0)) * 20 as watch_time_s,
                   0.55 as avg_view_pct,
                   cast(date as timestamptz) + to_hours(posting_hour + a) as observed_at
            from base, unnest([{ages_sql}]) g(a)
            """  # nosec B608 # only constant table and column names are interpolated; values are bound
        )
        counts = {
            t: con.execute(f"select count(*) from {t}").fetchone()[0]  # type: ignore[index]  # nosec B608 # only constant table and column names are interpolated; values are bound
            for t in warehouse.SCHEMA
        }
    return counts
