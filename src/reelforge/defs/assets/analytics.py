"""Engagement snapshots and the warehouse rows of each episode."""

import dataclasses
import datetime as dt

import dagster as dg

from reelforge.constants import GROUP_ANALYTICS, POOL_WAREHOUSE, SNAPSHOT_AGES_HOURS
from reelforge.defs.assets.common import episode_of
from reelforge.defs.resources.clock import Clock
from reelforge.defs.resources.publishing import Publishers, UnboundPlatform
from reelforge.defs.resources.storage import LedgerResource, WarehouseResource
from reelforge.lib.models import Plan, Story, VideosRecord
from reelforge.lib.platforms.base import PlatformError
from reelforge.lib.publishing_decisions import matured_ages, published_time
from reelforge.partitions import episode_partitions


def _warehouse_row(snap: dict) -> dict:
    """A ledger snapshot as a JSON-able warehouse row (observed_at: the age's instant)."""
    row = {k: v.isoformat() if isinstance(v, dt.datetime) else v for k, v in snap.items()}
    return {**row, "observed_at": row["as_of"]}


@dg.asset(
    partitions_def=episode_partitions,
    group_name=GROUP_ANALYTICS,
    kinds={"python"},
    # The ledger says what was published; `uploads` is a dependency, not an input, so the
    # posts that did publish are measured even while another platform's upload has failed.
    deps=["uploads"],
)
def engagement(
    context: dg.AssetExecutionContext,
    publishers: Publishers,
    ledger: LedgerResource,
    clock: Clock,
) -> dg.MaterializeResult:
    """Engagement snapshots of every published post at 1 h, 24 h, 72 h and 7 d after publishing.

    Collects each snapshot once, as soon as the clock says the post has reached that age (the
    `engagement_maturity` sensor requests this asset as posts mature), from the platform's
    metrics; rows are kept in the ledger per (post, age), so re-runs never collect twice. Outbox
    posts are watched by the offline audience simulator, whose hidden ground truth
    (config/sim_truth.json, or REELFORGE_SIM_TRUTH) makes the learning loop measurable.
    """
    _, _, _, episode = episode_of(context)
    book = ledger.ledger()
    now = clock.now()
    collected = book.collected_ages()
    new = 0
    errors: list[str] = []
    published_rows = book.upload_rows(states=["published"], episode_id=episode)
    for row in published_rows:
        published = published_time(row)
        if published is None or not row.post_id:
            continue
        due = [
            a
            for a in matured_ages(published, now, SNAPSHOT_AGES_HOURS)
            if a not in collected.get(row.upload_key, set())
        ]
        if not due:
            continue
        try:
            client = publishers.client(row.platform)
        except UnboundPlatform as exc:
            errors.append(str(exc))
            continue
        for age in due:
            as_of = published + dt.timedelta(hours=age)
            try:
                metrics = client.metrics(row.post_id, published, as_of)
            except PlatformError as exc:
                errors.append(f"{row.platform} {row.post_id} at {age} h: {exc.reason}")
                continue
            values = {**dataclasses.asdict(metrics), "as_of": as_of, "collected_at": now}
            new += book.record_snapshot(row, age, values)
    rows = [_warehouse_row(s) for s in book.snapshots_for(episode)]
    if errors:
        # Collected snapshots are kept; a retry or the sensor's next run fetches the rest.
        raise dg.Failure(description="; ".join(errors)[:2000])
    final = max((r["views"] for r in rows), default=0)
    table = "\n".join(
        f"| {r['platform']} | {r['post_id']} | {r['age_hours']} h | {r['views']} | {r['likes']} |"
        for r in rows
    )
    return dg.MaterializeResult(
        value=rows,
        metadata={
            "snapshots": len(rows),
            "new_snapshots": new,
            "posts": len(published_rows),
            "views_latest": final,
            "now": now.isoformat(),
            "snapshots_table": dg.MetadataValue.md(
                "| platform | post | age | views | likes |\n|---|---|---|---|---|\n" + table
            ),
        },
    )


@dg.asset(
    partitions_def=episode_partitions,
    group_name=GROUP_ANALYTICS,
    kinds={"duckdb"},
    pool=POOL_WAREHOUSE,
    deps=["uploads"],  # upload rows come from the ledger
)
def episode_warehouse(
    context: dg.AssetExecutionContext,
    generation_plan: Plan,
    story: Story,
    videos: VideosRecord,
    engagement: list[dict],
    ledger: LedgerResource,
    warehouse: WarehouseResource,
) -> dg.MaterializeResult:
    """Loads the episode, its provider calls, uploads and engagement into the DuckDB warehouse.

    Rows of the episode are replaced in one transaction, so re-runs never duplicate them. The
    `episodes` table holds the plan; the `engagement_by_plan` view joins every snapshot
    (episode, platform, post, age) to it.
    """
    _, _, _, episode = episode_of(context)
    book = ledger.ledger()
    plan = generation_plan.model_dump()
    episode_row = {
        "episode_id": episode, "title": story.title, "word_count": story.word_count,
        "duration_s": videos.videos[0].duration, "video_key": videos.videos[0].video_key,
        "materialized_at": dt.datetime.now(dt.UTC), **plan,
    }  # fmt: skip
    calls = [dict(c) for c in book.calls_for(episode)]
    posts = [dict(u) for u in book.uploads_for(episode)]
    snaps = [{**r, "episode_id": episode} for r in engagement]
    counts = warehouse.write_episode(
        episode,
        {"episodes": [episode_row], "provider_calls": calls, "uploads": posts, "engagement": snaps},
    )
    cost = float(sum(c["cost_usd"] for c in calls))
    return dg.MaterializeResult(
        metadata={
            **{f"rows_{t}": n for t, n in counts.items()},
            "episode_cost_usd": dg.MetadataValue.float(round(cost, 6)),
            "warehouse": dg.MetadataValue.path(warehouse.path),
        }
    )
