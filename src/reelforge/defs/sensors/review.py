"""The review sensor: acts on operators' decisions in the moderation review queue."""

import datetime as dt

import dagster as dg

from reelforge.defs.jobs import episode_job, resume_after_images, resume_after_story
from reelforge.defs.resources.storage import LedgerResource
from reelforge.lib.review_dispatch import dispatches
from reelforge.partitions import episode_key

# Decisions older than this are not looked at again (their runs were launched long ago).
LOOKBACK = dt.timedelta(days=14)


@dg.sensor(
    jobs=[episode_job, resume_after_story, resume_after_images],
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def review_decisions(
    context: dg.SensorEvaluationContext, ledger: LedgerResource
) -> dg.SensorResult | dg.SkipReason:
    """Resumes approved episodes below the approved stage; re-runs rejected ones (new story).

    Each decision launches one run (its run key names the item and the decision).
    """
    queue = ledger.review_queue()
    since = dt.datetime.now(dt.UTC) - LOOKBACK
    decided = [
        i for i in queue.items()
        if i.state != "pending" and i.decided_at and _aware(i.decided_at) >= since
    ]  # fmt: skip
    pending = queue.items(state="pending")
    runs = dispatches(decided, pending)
    if not runs:
        waiting = f"{len(pending)} item(s) waiting for a decision" if pending else "queue empty"
        return dg.SkipReason(f"no new review decisions ({waiting})")
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(
                run_key=d.run_key,
                job_name=d.job,
                partition_key=episode_key(d.date, d.channel),
                tags={
                    "reelforge/review_items": ",".join(map(str, d.item_ids)),
                    "reelforge/channel": d.channel,
                },
            )
            for d in runs
        ]
    )


def _aware(when: dt.datetime) -> dt.datetime:
    # SQLite hands timestamps back naive; they were written in UTC.
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)
