"""Engagement snapshots and the warehouse rows of each episode."""

import datetime as dt

import dagster as dg

from reelforge.constants import GROUP_ANALYTICS, POOL_WAREHOUSE, SNAPSHOT_AGES_HOURS
from reelforge.defs.assets.common import episode_of
from reelforge.defs.resources.publishing import AudienceSimulator
from reelforge.defs.resources.storage import LedgerResource, WarehouseResource
from reelforge.lib.audience import Snapshot
from reelforge.lib.models import Plan, Story, UploadsRecord, VideosRecord
from reelforge.partitions import episode_partitions


def _published_at(plan: Plan) -> dt.datetime:
    day = dt.date.fromisoformat(plan.date)
    return dt.datetime.combine(day, dt.time(plan.posting_hour), tzinfo=dt.UTC)


@dg.asset(
    partitions_def=episode_partitions,
    group_name=GROUP_ANALYTICS,
    kinds={"python"},
)
def engagement(
    context: dg.AssetExecutionContext,
    generation_plan: Plan,
    videos: VideosRecord,
    uploads: UploadsRecord,
    audience: AudienceSimulator,
) -> dg.MaterializeResult:
    """Engagement snapshots of every post at 1 h, 24 h, 72 h and 7 d after publishing.

    Outbox posts are watched by the offline audience simulator, whose hidden ground truth
    (config/sim_truth.json) makes the learning loop measurable.
    """
    published = _published_at(generation_plan)
    params = generation_plan.model_dump()
    rows = []
    for post in uploads.posts:
        snaps: list[Snapshot] = audience.snapshots(
            params, videos.videos[0].duration, SNAPSHOT_AGES_HOURS, generation_plan.seed
        )
        for snap in snaps:
            rows.append(
                {
                    "platform": post.platform,
                    "post_id": post.post_id,
                    "observed_at": (published + dt.timedelta(hours=snap.age_hours)).isoformat(),
                    **snap.model_dump(),
                }
            )
    final = max((r["views"] for r in rows), default=0)
    table = "\n".join(
        f"| {r['platform']} | {r['age_hours']} h | {r['views']} | {r['likes']} |" for r in rows
    )
    return dg.MaterializeResult(
        value=rows,
        metadata={
            "snapshots": len(rows),
            "views_7d": final,
            "snapshots_table": dg.MetadataValue.md(
                f"| platform | age | views | likes |\n|---|---|---|---|\n{table}"
            ),
        },
    )


@dg.asset(
    partitions_def=episode_partitions,
    group_name=GROUP_ANALYTICS,
    kinds={"duckdb"},
    pool=POOL_WAREHOUSE,
)
def episode_warehouse(
    context: dg.AssetExecutionContext,
    generation_plan: Plan,
    story: Story,
    videos: VideosRecord,
    uploads: UploadsRecord,
    engagement: list[dict],
    ledger: LedgerResource,
    warehouse: WarehouseResource,
) -> dg.MaterializeResult:
    """Loads the episode, its provider calls, uploads and engagement into the DuckDB warehouse.

    Rows of the episode are replaced in one transaction, so re-runs never duplicate them.
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
    snaps = [{"episode_id": episode, **r} for r in engagement]
    counts = warehouse.write_episode(
        episode,
        {"episodes": [episode_row], "provider_calls": calls, "uploads": posts, "engagement": snaps},
    )
    cost = sum(c["cost_usd"] for c in calls)
    return dg.MaterializeResult(
        metadata={
            **{f"rows_{t}": n for t, n in counts.items()},
            "episode_cost_usd": dg.MetadataValue.float(round(cost, 6)),
            "warehouse": dg.MetadataValue.path(warehouse.path),
        }
    )
