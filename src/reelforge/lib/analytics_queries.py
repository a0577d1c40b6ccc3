"""The analysts' queries over the DuckDB warehouse, shared by the dashboard and the benchmark.

Every function opens the warehouse read-only (the Dagster writers and dbt keep the single
write lock) and returns pandas frames. The dbt marts are used when they exist; before the
first `dbt build` the same figures are computed from the raw tables written by
`episode_warehouse`, so a fresh warehouse is already readable.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from reelforge.lib.overrides import PARAMETERS  # the plan parameters (the policy's arms)

# Mirrors the dbt vars cost_floor_usd and mature_age_hours (dbt/dbt_project.yml).
COST_FLOOR_USD = 0.02
MATURE_AGE_HOURS = 24
MAX_AGE_HOURS = 168
RAW_TABLES = ("episodes", "provider_calls", "uploads", "engagement")
STATUSES = ("rendered", "publishing", "deferred", "published", "failed")


class WarehouseBusy(RuntimeError):
    """The warehouse file is locked by a writer (dbt or episode_warehouse) right now."""


def connect(path: Path, attempts: int = 5) -> duckdb.DuckDBPyConnection:
    """A read-only connection; waits briefly while a writer holds the file lock."""
    for attempt in range(attempts):
        try:
            return duckdb.connect(str(path), read_only=True)
        except duckdb.IOException as err:
            if "lock" not in str(err).lower() or attempt == attempts - 1:
                raise WarehouseBusy(
                    f"the warehouse {path} is being written (dbt build or an episode load); "
                    "refresh in a moment"
                ) from err
            time.sleep(0.2 * (attempt + 1))
    raise AssertionError("unreachable")


def fetch(path: Path, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
    with connect(path) as con:
        return con.execute(sql, list(params)).df()


def tables(path: Path) -> frozenset[str]:
    """Tables and views of the warehouse's main schema (empty when there is no file)."""
    if not path.is_file():
        return frozenset()
    with connect(path) as con:
        rows = con.execute(
            "select table_name from information_schema.tables where table_schema = 'main'"
        ).fetchall()
    return frozenset(r[0] for r in rows)


def has_episodes(names: frozenset[str]) -> bool:
    return all(t in names for t in RAW_TABLES)


def uses_marts(names: frozenset[str]) -> bool:
    return "episode_performance" in names


# The mart episode_performance computed from the raw tables (used until dbt has run).
RAW_EPISODE_PERFORMANCE = f"""
    with latest as (
        select episode_id, platform, post_id, views, likes, comments, shares, age_hours
        from engagement where age_hours <= {MAX_AGE_HOURS}
        qualify row_number() over (
            partition by episode_id, platform, post_id order by age_hours desc) = 1
    ),
    v as (
        select episode_id, sum(views) as views, sum(likes) as likes, sum(comments) as comments,
               sum(shares) as shares, min(age_hours) as age_hours
        from latest group by episode_id
    ),
    c as (
        select episode_id, sum(cost_usd) as cost_usd from provider_calls group by episode_id
    ),
    p as (
        select episode_id, count(*) as posts,
               count(*) filter (where state = 'published') as posts_published,
               count(*) filter (where state = 'failed') as posts_failed,
               count(*) filter (where state = 'deferred') as posts_deferred
        from uploads group by episode_id
    )
    select
        e.episode_id, e.channel, cast(e.date as date) as episode_date, e.title, e.genre,
        e.hook_style, e.voice, e.speaking_rate_wpm, e.music_mood, e.target_seconds,
        e.caption_style, e.posting_hour, coalesce(e.experiment_id, 'baseline') as experiment_id,
        'arm-' || substr(md5(concat_ws('|', e.genre, e.hook_style, e.voice,
            e.speaking_rate_wpm, e.music_mood, e.target_seconds, e.caption_style,
            e.posting_hour)), 1, 10) as arm_id,
        e.duration_s, e.video_key, cast(null as varchar) as thumbnail_key,
        coalesce(c.cost_usd, 0) as cost_usd,
        greatest(coalesce(c.cost_usd, 0), {COST_FLOOR_USD}) as effective_cost_usd,
        coalesce(p.posts, 0) as posts, coalesce(p.posts_published, 0) as posts_published,
        coalesce(p.posts_failed, 0) as posts_failed,
        coalesce(v.views, 0) as views, coalesce(v.likes, 0) as likes,
        coalesce(v.comments, 0) as comments, coalesce(v.shares, 0) as shares,
        v.age_hours, coalesce(v.age_hours >= {MATURE_AGE_HOURS}, false) as mature,
        coalesce(v.views, 0) / greatest(coalesce(c.cost_usd, 0), {COST_FLOOR_USD})
            as engagement_per_dollar,
        case when coalesce(p.posts_failed, 0) > 0 then 'failed'
             when coalesce(p.posts, 0) = 0 then 'rendered'
             when p.posts_published = p.posts then 'published'
             when coalesce(p.posts_deferred, 0) > 0 then 'deferred'
             else 'publishing' end as status,
        case when p.posts_failed > 0 then 'uploads' end as failed_stage
    from episodes e
    left join v using (episode_id) left join c using (episode_id) left join p using (episode_id)
"""  # nosec B608 # only constant table and column names are interpolated; values are bound


def _episodes_rel(names: frozenset[str]) -> str:
    return "episode_performance" if uses_marts(names) else f"({RAW_EPISODE_PERFORMANCE})"


def _ci(expr: str, prefix: str) -> str:
    se = f"1.96 * stddev_samp({expr}) / sqrt(count({expr}))"
    return (
        f"avg({expr}) as {prefix}, "
        f"case when count({expr}) > 1 then avg({expr}) - {se} end as {prefix}_ci_low, "
        f"case when count({expr}) > 1 then avg({expr}) + {se} end as {prefix}_ci_high"
    )


# ---------------------------------------------------------------- Overview


@dataclass(frozen=True)
class Overview:
    totals: pd.DataFrame  # one row: episodes, cost_usd, views, cost_per_1k_views
    by_channel: pd.DataFrame
    daily: pd.DataFrame  # channel, episode_date, cost_usd, views, cost_per_1k_views


def overview(path: Path, names: frozenset[str]) -> Overview:
    rel = _episodes_rel(names)
    daily_rel = (
        "channel_daily"
        if "channel_daily" in names
        else f"""(select channel, episode_date, count(*) as episodes, sum(cost_usd) as cost_usd,
                  sum(views) as views, case when sum(views) > 0
                  then 1000 * sum(cost_usd) / sum(views) end as cost_per_1k_views
                  from {rel} group by channel, episode_date)"""  # nosec B608 # only constant table and column names are interpolated; values are bound
    )
    with connect(path) as con:
        by_channel = con.execute(
            f"""select channel, count(*) as episodes, sum(cost_usd) as cost_usd,
                       sum(views) as views,
                       case when sum(views) > 0 then 1000 * sum(cost_usd) / sum(views) end
                           as cost_per_1k_views,
                       case when sum(views) > 0 then 1000 * sum(effective_cost_usd) / sum(views)
                           end as effective_cost_per_1k_views
                from {rel} group by channel order by channel"""  # nosec B608 # only constant table and column names are interpolated; values are bound
        ).df()
        daily = con.execute(
            f"""select channel, episode_date, episodes, cost_usd, views, cost_per_1k_views
                from {daily_rel} order by episode_date, channel"""  # nosec B608 # only constant table and column names are interpolated; values are bound
        ).df()
    views = float(by_channel["views"].sum()) if len(by_channel) else 0.0
    cost = float(by_channel["cost_usd"].sum()) if len(by_channel) else 0.0
    totals = pd.DataFrame(
        [
            {
                "episodes": int(by_channel["episodes"].sum()) if len(by_channel) else 0,
                "cost_usd": cost,
                "views": int(views),
                "cost_per_1k_views": 1000 * cost / views if views else None,
            }
        ]
    )
    return Overview(totals=totals, by_channel=by_channel, daily=daily)


# ---------------------------------------------------------------- Episodes

EPISODE_COLUMNS = (
    "episode_id, channel, episode_date, title, status, failed_stage, cost_usd, views, likes, "
    "genre, hook_style, music_mood, caption_style, target_seconds, experiment_id, arm_id, "
    "duration_s, video_key, thumbnail_key"
)


def episodes_page(
    path: Path,
    names: frozenset[str],
    *,
    search: str = "",
    channel: str | None = None,
    status: str | None = None,
    page: int = 1,
    page_size: int = 25,
) -> tuple[pd.DataFrame, int]:
    """One page of episodes (newest first) matching the filters, and how many match in all."""
    where, params = ["true"], []
    if search.strip():
        where.append("(title ilike ? or episode_id ilike ?)")
        params += [f"%{search.strip()}%"] * 2
    if channel:
        where.append("channel = ?")
        params.append(channel)
    if status:
        where.append("status = ?")
        params.append(status)
    cond = " and ".join(where)
    rel = _episodes_rel(names)
    offset = max(page - 1, 0) * page_size
    with connect(path) as con:
        # One pass: the window count is computed before LIMIT, so the page carries the total.
        rows = con.execute(
            f"""select {EPISODE_COLUMNS}, count(*) over () as total_matching
                from {rel} where {cond}
                order by episode_date desc, channel, episode_id limit ? offset ?""",  # nosec B608 # only constant table and column names are interpolated; values are bound
            [*params, page_size, offset],
        ).df()
        if len(rows):
            total = int(rows["total_matching"].iloc[0])
        else:  # past the last page (or nothing matches): count separately
            found = con.execute(f"select count(*) from {rel} where {cond}", params).fetchone()  # nosec B608 # only constant table and column names are interpolated; values are bound
            total = int(found[0]) if found else 0
    return rows.drop(columns=["total_matching"]), total


def channels(path: Path) -> list[str]:
    return list(fetch(path, "select distinct channel from episodes order by 1")["channel"])


# ---------------------------------------------------------------- Experiments


def arm_performance(path: Path, names: frozenset[str]) -> pd.DataFrame:
    if "arm_performance" in names:
        return fetch(
            path,
            """select parameter, value, episodes, engagement_per_dollar,
                      engagement_per_dollar_ci_low, engagement_per_dollar_ci_high, mean_views
               from arm_performance order by parameter, engagement_per_dollar desc""",
        )
    rel = _episodes_rel(names)
    casts = ", ".join(f"cast({p} as varchar) as {p}" for p in PARAMETERS)
    return fetch(
        path,
        f"""select parameter, value, count(*) as episodes,
                   {_ci("engagement_per_dollar", "engagement_per_dollar")},
                   avg(views) as mean_views
            from (unpivot (select engagement_per_dollar, views, {casts} from {rel} where mature)
                  on {", ".join(PARAMETERS)} into name parameter value value)
            group by parameter, value order by parameter, engagement_per_dollar desc""",  # nosec B608 # only constant table and column names are interpolated; values are bound
    )


def experiment_results(path: Path, names: frozenset[str]) -> pd.DataFrame:
    cols = """experiment_id, arm_id, episodes, engagement_per_dollar,
              engagement_per_dollar_ci_low, engagement_per_dollar_ci_high, lift, lift_ci_low,
              lift_ci_high, genre, hook_style, music_mood, caption_style, target_seconds"""
    if "experiment_results" in names:
        return fetch(
            path,
            f"select {cols} from experiment_results order by experiment_id, lift desc",  # nosec B608 # only constant table and column names are interpolated; values are bound
        )
    rel = _episodes_rel(names)
    return fetch(
        path,
        f"""with a as (
                select experiment_id, arm_id, count(*) as episodes,
                       {_ci("engagement_per_dollar", "engagement_per_dollar")},
                       any_value(genre) as genre, any_value(hook_style) as hook_style,
                       any_value(music_mood) as music_mood,
                       any_value(caption_style) as caption_style,
                       any_value(target_seconds) as target_seconds
                from {rel} where mature group by experiment_id, arm_id),
            x as (select experiment_id, avg(engagement_per_dollar) as m from {rel}
                  where mature group by experiment_id)
            select a.*, engagement_per_dollar / m - 1 as lift,
                   engagement_per_dollar_ci_low / m - 1 as lift_ci_low,
                   engagement_per_dollar_ci_high / m - 1 as lift_ci_high
            from a join x using (experiment_id) where m > 0
            order by experiment_id, lift desc""",  # nosec B608 # only constant table and column names are interpolated; values are bound
    )[[c.strip() for c in cols.replace("\n", " ").split(",")]]


# ---------------------------------------------------------------- Policy


def policy_plans(path: Path, names: frozenset[str], limit: int = 500) -> pd.DataFrame | None:
    """The policy's next plans (newest batch first), or None before the policy has run."""
    if "policy_plans" not in names:
        return None
    return fetch(
        path,
        """select * from policy_plans
           where created_at = (select max(created_at) from policy_plans)
           order by date, channel, slot limit ?""",
        [limit],
    )


def policy_importance(path: Path, names: frozenset[str]) -> pd.DataFrame | None:
    if "policy_importance" not in names:
        return None
    return fetch(
        path,
        """select parameter, importance from policy_importance
           where created_at = (select max(created_at) from policy_importance)
           order by importance desc""",
    )


# ---------------------------------------------------------------- Budget & quotas


def daily_spend(path: Path, names: frozenset[str], days: int = 30) -> pd.DataFrame:
    """Spend per channel and day over the last `days` calendar days that have episodes."""
    rel = "channel_daily" if "channel_daily" in names else None
    src = (
        rel
        or """(select e.channel, cast(e.date as date) as episode_date,
                      coalesce(sum(c.cost_usd), 0) as cost_usd
               from episodes e left join provider_calls c using (episode_id)
               group by all)"""
    )
    return fetch(
        path,
        f"""select channel, episode_date, cost_usd from {src}
            where episode_date > (select max(episode_date) from {src}) - ?::integer
            order by episode_date, channel""",  # nosec B608 # only constant table and column names are interpolated; values are bound
        [days],
    )


def burn_down(path: Path, day: str) -> pd.DataFrame:
    """Cumulative spend per channel through the provider calls of one calendar day."""
    return fetch(
        path,
        """select e.channel, c.created_at,
                  sum(c.cost_usd) over (partition by e.channel order by c.created_at,
                                        c.request_hash) as spent_usd
           from provider_calls c join episodes e using (episode_id)
           where cast(e.date as date) = cast(? as date)
           order by e.channel, c.created_at""",
        [day],
    )


def latest_day(path: Path) -> str | None:
    value = fetch(path, "select cast(max(date) as varchar) as d from episodes")["d"].iloc[0]
    return None if value is None or pd.isna(value) else str(value)


def platform_states(path: Path, names: frozenset[str], days: int = 30) -> pd.DataFrame:
    if "platform_daily" in names:
        src = "platform_daily"
    else:
        src = """(select u.platform, cast(e.date as date) as episode_date, u.state,
                         count(*) as uploads
                  from uploads u join episodes e using (episode_id) group by all)"""
    return fetch(
        path,
        f"""select platform, episode_date, state, uploads from {src}
            where episode_date > (select max(episode_date) from {src}) - ?::integer
            order by episode_date, platform, state""",  # nosec B608 # only constant table and column names are interpolated; values are bound
        [days],
    )
