"""The DuckDB warehouse: one row set per episode, replaced atomically on every re-run.

DuckDB allows one writing process at a time; the Dagster assets that call `write_episode`
share a pool of size one. Readers (dbt, the dashboard) open the file read-only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb

# table -> (columns with their DuckDB types, primary key)
SCHEMA: dict[str, tuple[dict[str, str], tuple[str, ...]]] = {
    "episodes": (
        {
            "episode_id": "VARCHAR", "channel": "VARCHAR", "date": "DATE", "title": "VARCHAR",
            "genre": "VARCHAR", "hook_style": "VARCHAR", "voice": "VARCHAR",
            "speaking_rate_wpm": "INTEGER", "music_mood": "VARCHAR", "target_seconds": "INTEGER",
            "caption_style": "VARCHAR", "posting_hour": "INTEGER", "experiment_id": "VARCHAR",
            "word_count": "INTEGER", "duration_s": "DOUBLE", "video_key": "VARCHAR",
            "materialized_at": "TIMESTAMPTZ",
        },
        ("episode_id",),
    ),
    "provider_calls": (
        {
            "request_hash": "VARCHAR", "episode_id": "VARCHAR", "stage": "VARCHAR",
            "provider": "VARCHAR", "model": "VARCHAR", "unit": "VARCHAR", "units": "DOUBLE",
            "unit_price_usd": "DOUBLE", "cost_usd": "DOUBLE", "duration_s": "DOUBLE",
            "created_at": "TIMESTAMPTZ",
        },
        ("request_hash",),
    ),
    "uploads": (
        {
            "upload_key": "VARCHAR", "episode_id": "VARCHAR", "platform": "VARCHAR",
            "account": "VARCHAR", "content_hash": "VARCHAR", "state": "VARCHAR",
            "post_id": "VARCHAR", "url": "VARCHAR", "updated_at": "TIMESTAMPTZ",
            "channel": "VARCHAR", "attempts": "INTEGER", "last_error": "VARCHAR",
            "not_before": "TIMESTAMPTZ", "published_at": "TIMESTAMPTZ", "detail": "VARCHAR",
        },
        ("upload_key",),
    ),
    "engagement": (
        {
            "episode_id": "VARCHAR", "platform": "VARCHAR", "post_id": "VARCHAR",
            "age_hours": "INTEGER", "views": "BIGINT", "likes": "BIGINT", "comments": "BIGINT",
            "shares": "BIGINT", "watch_time_s": "DOUBLE", "avg_view_pct": "DOUBLE",
            "observed_at": "TIMESTAMPTZ", "account": "VARCHAR", "avg_view_duration_s": "DOUBLE",
            "subscribers_gained": "BIGINT", "collected_at": "TIMESTAMPTZ",
        },
        ("episode_id", "platform", "post_id", "age_hours"),
    ),
}  # fmt: skip


def _columns(table: str) -> list[str]:
    return list(SCHEMA[table][0])


# Every snapshot joined to the plan of its episode (what dbt and the policy read).
ENGAGEMENT_BY_PLAN = """
CREATE OR REPLACE VIEW engagement_by_plan AS
SELECT g.episode_id, g.platform, g.account, g.post_id, g.age_hours, g.views, g.likes,
       g.comments, g.shares, g.watch_time_s, g.avg_view_pct, g.avg_view_duration_s,
       g.subscribers_gained, g.observed_at,
       e.channel, e.date, e.genre, e.hook_style, e.voice, e.speaking_rate_wpm, e.music_mood,
       e.target_seconds, e.caption_style, e.posting_hour, e.experiment_id, e.duration_s
FROM engagement AS g JOIN episodes AS e USING (episode_id)
"""


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    for table, (columns, key) in SCHEMA.items():
        cols = ", ".join(f"{name} {kind}" for name, kind in columns.items())
        con.execute(f"CREATE TABLE IF NOT EXISTS {table} ({cols}, PRIMARY KEY ({', '.join(key)}))")
        # A warehouse written by an older reelforge gains the new columns (additive only).
        present = {r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()}
        for name, kind in columns.items():
            if name not in present:
                con.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")
    con.execute(ENGAGEMENT_BY_PLAN)


def write_episode(
    path: Path, episode_id: str, rows: Mapping[str, Sequence[Mapping[str, Any]]]
) -> dict[str, int]:
    """Replace every row of `episode_id` in the given tables, in one transaction."""
    path.parent.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    with duckdb.connect(str(path)) as con:
        ensure_schema(con)
        con.execute("BEGIN TRANSACTION")
        try:
            for table, table_rows in rows.items():
                cols = _columns(table)
                con.execute(f"DELETE FROM {table} WHERE episode_id = ?", [episode_id])  # nosec B608 # only constant table and column names are interpolated; values are bound
                if table_rows:
                    placeholders = ", ".join("?" for _ in cols)
                    con.executemany(
                        f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({placeholders})",  # nosec B608 # only constant table and column names are interpolated; values are bound
                        [[r.get(c) for c in cols] for r in table_rows],
                    )
                counts[table] = len(table_rows)
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    return counts


def query(path: Path, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Read-only query helper (readers never take the writer's lock)."""
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()
