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
    CheckStatus,
    due_snapshots,
    due_uploads,
    qc_block_reason,
    snapshot_run_key,
    upload_run_key,
)
from reelforge.lib.qc import CHECK_NAMES
from reelforge.partitions import episode_key

PUBLISH_AND_MEASURE = ("uploads", "engagement", "episode_warehouse")
MEASURE = ("engagement", "episode_warehouse")
QC_CHECKS = [dg.AssetCheckKey(dg.AssetKey("videos"), name) for name in CHECK_NAMES]


def _qc_blocks(instance: dg.DagsterInstance, partitions: list[str]) -> dict[str, str]:
    """Partition → why its videos may not be uploaded (the blocking QC checks on `videos`
    gate runs that render; these runs do not, so the sensor reads the checks' last verdicts)."""
    infos = instance.event_log_storage.get_asset_check_partition_info(
        QC_CHECKS, partition_keys=partitions
    )
    found: dict[str, list[CheckStatus]] = {p: [] for p in partitions}
    for info in infos:
        if info.partition_key in found:
            found[info.partition_key].append(
                CheckStatus(
                    info.check_key.name, info.latest_execution_status.value, info.is_current
                )
            )
    out = {}
    for partition, checks in found.items():
        reason = qc_block_reason(checks, CHECK_NAMES)
        if reason:
            out[partition] = reason
    return out


@dg.sensor(
    target=dg.AssetSelection.assets(*PUBLISH_AND_MEASURE),
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Launches deferred uploads when their quota window opens (QC must have passed).",
)
def deferred_uploads(
    context: dg.SensorEvaluationContext, ledger: LedgerResource, clock: Clock
) -> dg.SensorResult | dg.SkipReason:
    """Launches `uploads` (and the engagement and warehouse rows after it) for every episode
    whose deferred or still-processing upload may go now and whose videos passed every
    blocking QC check; otherwise says what waits until when (or what QC holds back).
    """
    now = clock.now()
    found = due_uploads(ledger.ledger().upload_rows(states=WAITING_STATES), now)
    if not found.due:
        return dg.SkipReason(found.skip_reason(now))
    due = sorted(found.by_partition().items())
    blocked = _qc_blocks(context.instance, [str(episode_key(d, c)) for (d, c), _ in due])
    for partition, reason in blocked.items():
        context.log.warning(f"{partition}: deferred upload held back; {reason}")
    due = [item for item in due if str(episode_key(*item[0])) not in blocked]
    if not due:
        held = "; ".join(f"{p}: {r}" for p, r in blocked.items())
        return dg.SkipReason(f"deferred uploads are due but held back by QC: {held}")
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
        for (date, channel), rows in due
    ]
    return dg.SensorResult(run_requests=requests)


@dg.sensor(
    target=dg.AssetSelection.assets(*MEASURE),
    minimum_interval_seconds=300,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Requests engagement snapshots as posts reach 1 h, 24 h, 72 h and 7 d.",
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
