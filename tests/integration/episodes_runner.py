"""Materialize whole episodes in this process and write a JSON report (run by the tests).

A separate process, because partitions and resources are bound from the environment
(REELFORGE_CONFIG, REELFORGE_PROVIDERS, provider URLs and keys) when definitions load.
Usage: python episodes_runner.py SLOTS_JSON REPORT_JSON
"""

import json
import sys
from pathlib import Path

import dagster as dg

from reelforge.definitions import defs
from reelforge.partitions import episode_key
from reelforge.settings import load_settings

QUIET = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}
STAGES = ("story", "narration", "scene_images", "music", "scene_clips")


def _provider_metadata(result: dg.ExecuteInProcessResult) -> dict[str, dict[str, str]]:
    out = {}
    for node in STAGES:
        mats = result.asset_materializations_for_node(node)
        if mats:
            out[node] = {k: str(v.value) for k, v in mats[0].metadata.items()}
    return out


def main() -> None:
    slots = json.loads(sys.argv[1])
    report_path = Path(sys.argv[2])
    settings = load_settings()
    job = defs().resolve_job_def("episode")
    instance = dg.DagsterInstance.get()
    report, logs = [], []
    for date, channel in slots:
        result = job.execute_in_process(
            partition_key=episode_key(date, channel),
            instance=instance,
            run_config=QUIET,
            raise_on_error=False,
        )
        entry: dict = {"slot": [date, channel], "success": result.success, "run_id": result.run_id}
        if result.success:
            entry["metadata"] = _provider_metadata(result)
            video = result.output_for_node("videos").videos[0]
            entry["video"] = str(settings.media_root / video.video_key)
        else:
            entry["errors"] = [
                str(e.event_specific_data.error.message)[:2000]
                for e in result.all_events
                if e.is_step_failure and e.event_specific_data
            ]
        report.append(entry)
        logs.extend(str(e) for e in instance.all_logs(result.run_id))
    report_path.write_text(json.dumps(report, indent=1))
    report_path.with_suffix(".log").write_text("\n".join(logs))


if __name__ == "__main__":
    main()
