"""The moderation review scenario in one process (run by test_review_flow.py).

A separate process, because the channels file (with banned topics) is bound from
REELFORGE_CONFIG when definitions load. Usage: python review_runner.py REPORT_JSON
"""

import json
import sys
from pathlib import Path

import dagster as dg

from reelforge.definitions import defs
from reelforge.defs.resources.storage import LedgerResource
from reelforge.defs.sensors.review import review_decisions
from reelforge.partitions import episode_key
from reelforge.settings import load_settings

QUIET = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}
DATE = "2026-11-21"


def materialized(instance: dg.DagsterInstance, run_id: str) -> list[str]:
    records = instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION)
    return sorted(r.dagster_event.asset_key.to_user_string() for r in records)  # type: ignore[union-attr]


def run(job_name: str, channel: str, instance: dg.DagsterInstance, **kw: object) -> dict:
    job = definitions.resolve_job_def(job_name)
    result = job.execute_in_process(
        partition_key=episode_key(DATE, channel) if channel else None,
        instance=instance, raise_on_error=False, **kw,
    )  # fmt: skip
    failures = [
        str(e.event_specific_data.error.message)[:600]  # type: ignore[union-attr]
        for e in result.all_events
        if e.is_step_failure and e.event_specific_data
    ]
    assets = materialized(instance, result.run_id)
    return {"job": job_name, "success": result.success, "assets": assets, "failures": failures}


def sensor_runs(instance: dg.DagsterInstance, ledger: LedgerResource) -> list[dict]:
    with dg.build_sensor_context(instance=instance, resources={"ledger": ledger}) as ctx:
        out = review_decisions(ctx)
    if isinstance(out, dg.SkipReason):
        return [{"skip": out.skip_message}]
    done = []
    for request in out.run_requests:
        # As the sensor daemon does: a run key is launched once.
        key_tag = {"dagster/run_key": request.run_key}
        if instance.get_runs(filters=dg.RunsFilter(tags=key_tag)):
            continue
        channel = request.partition_key.keys_by_dimension["channel"]  # type: ignore[union-attr]
        done.append(run(request.job_name, channel, instance, run_config=QUIET, tags=key_tag))
    return done


def decide(
    instance: dg.DagsterInstance, ledger: LedgerResource, channel: str, decision: str
) -> list[int]:
    """Decide every pending item of the channel through the operators' job, one by one (a
    rejection supersedes the other items of the same version)."""
    decided = []
    while pending := [
        i for i in ledger.review_queue().items(state="pending") if i.episode_id.startswith(channel)
    ]:
        item = pending[0]
        config = {"ops": {"decide_review_item": {"config": {
            "item_id": item.item_id, "decision": decision, "reason": f"{decision} in test",
            "reviewer": "ops@example"}}}}  # fmt: skip
        assert run("review_decision", "", instance, run_config=config)["success"]
        decided.append(item.item_id)
    return decided


definitions = defs()


def main() -> None:
    instance = dg.DagsterInstance.get()
    ledger = LedgerResource(url=load_settings().ledger_url)
    report: dict = {}
    # Approve path: space_facts stops at the story check, then resumes after approval.
    report["first"] = run("episode", "space_facts", instance, run_config=QUIET)
    report["pending"] = [i.reason for i in ledger.review_queue().items(state="pending")]
    report["approved"] = decide(instance, ledger, "space_facts", "approved")
    report["resumed"] = sensor_runs(instance, ledger)
    report["again"] = sensor_runs(instance, ledger)  # nothing new: no second run
    # Reject path: history_bites is rewritten until max_rejections (2) ends it.
    report["reject_runs"] = [run("episode", "history_bites", instance, run_config=QUIET)]
    for _ in range(2):
        report.setdefault("rejected", []).append(
            decide(instance, ledger, "history_bites", "rejected")
        )
        report["reject_runs"] += sensor_runs(instance, ledger)
    report["audit"] = [e["action"] for e in ledger.audit().entries()]
    Path(sys.argv[1]).write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
