"""Publishing sensors: launch deferred uploads when their window opens, and collect
engagement as posts mature. Both decide in pure functions (lib/publishing_decisions.py) over
the ledger, at the clock resource's "now".

They run by default: they only finish work an operator already started (uploads deferred
by a quota, posts waiting for their next snapshot), cost nothing when nothing is due (one
ledger read, then a SkipReason saying what waits until when), and "no operator action" is
the point of a deferral. The content calendar, which starts new (possibly paid) work, stays
stopped by default.
"""

import dagster as dg

from reelforge.constants import SNAPSHOT_AGES_HOURS
from reelforge.defs.resources.clock import Clock
from reelforge.defs.resources.storage import LedgerResource
from reelforge.lib.publishing_decisions import (
    WAITING_STATES,
    due_snapshots,
    due_uploads,
    snapshot_run_key,
    upload_run_key,
)
from reelforge.partitions import episode_key

PUBLISH_AND_MEASURE = ("uploads", "engagement", "episode_warehouse")
MEASURE = ("engagement", "episode_warehouse")


@dg.sensor(
    target=dg.AssetSelection.assets(*PUBLISH_AND_MEASURE),
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def deferred_uploads(
    context: dg.SensorEvaluationContext, ledger: LedgerResource, clock: Clock
) -> dg.SensorResult | dg.SkipReason:
    """Launches `uploads` (and the engagement and warehouse rows after it) for every episode
    whose deferred or still-processing upload may go now; otherwise says what waits until when.
    """
    now = clock.now()
    found = due_uploads(ledger.ledger().upload_rows(states=WAITING_STATES), now)
    if not found.due:
        return dg.SkipReason(found.skip_reason(now))
    requests = [
        dg.RunRequest(
            run_key=upload_run_key(rows),
            partition_key=episode_key(date, channel),
            asset_selection=[dg.AssetKey(k) for k in PUBLISH_AND_MEASURE],
            tags={
                "reelforge/channel": channel,
                "reelforge/date": date,
                "reelforge/reason": "deferred upload due",
            },
        )
        for (date, channel), rows in sorted(found.by_partition().items())
    ]
    return dg.SensorResult(run_requests=requests)


@dg.sensor(
    target=dg.AssetSelection.assets(*MEASURE),
    minimum_interval_seconds=300,
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def engagement_maturity(
    context: dg.SensorEvaluationContext, ledger: LedgerResource, clock: Clock
) -> dg.SensorResult | dg.SkipReason:
    """Requests `engagement` (and its warehouse rows) for every episode with a post that has
    reached 1 h, 24 h, 72 h or 7 d since publishing and whose snapshot is not collected yet."""
    now = clock.now()
    book = ledger.ledger()
    found = due_snapshots(
        book.upload_rows(states=["published"]), book.collected_ages(), now, SNAPSHOT_AGES_HOURS
    )
    if not found.due:
        return dg.SkipReason(found.skip_reason(now))
    requests = [
        dg.RunRequest(
            run_key=snapshot_run_key(date, channel, ages),
            partition_key=episode_key(date, channel),
            asset_selection=[dg.AssetKey(k) for k in MEASURE],
            tags={
                "reelforge/channel": channel,
                "reelforge/date": date,
                "reelforge/snapshot_ages": ",".join(map(str, ages)),
            },
        )
        for (date, channel), ages in sorted(found.due.items())
    ]
    return dg.SensorResult(run_requests=requests)
