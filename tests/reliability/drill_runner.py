"""A warm run-worker factory for the reliability drills (run by drill_support.WarmRunner).

Importing reelforge and Dagster costs ~11 s of CPU here, more than a small episode's whole run,
and the drills start many run workers. So this process imports everything once and forks a
fresh run worker per request: a real OS process of its own session (ffmpeg and every other
child in its process group, so a drill can `kill -9` the group), executing one or more runs
with `dg.execute_job` against the persistent instance in DAGSTER_HOME.

Protocol on stdin/stdout, one JSON object a line:
  in:  {"workers": [{"runs": [RUN, ...], "report": PATH, "env": {...}}, ...]}
  out: {"pids": [PID, ...]}   as soon as every worker of the request is forked
  out: {"exits": {PID: STATUS, ...}}   when they have all ended (negative: killed by a signal)
out: {"cpu_s": SECONDS}   at the end of input: CPU time of this process and all it started
  (it is their child subreaper, so forkservers and step processes are counted too)
RUN: {"partition": [DATE, CHANNEL], "selection": [ASSET, ...] | null, "tags": {...}}
  or {"reexecute": RUN_ID} (re-execute that failed run from failure).
Each worker appends one JSON line per run to its report.
"""

from __future__ import annotations

import ctypes
import importlib
import json
import os
import resource
import sys
import time
import traceback
from pathlib import Path
from typing import Any

import dagster as dg

from reelforge.definitions import preload_modules

_PR_SET_CHILD_SUBREAPER = 36  # linux/prctl.h
QUIET = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}


def episode_job() -> dg.JobDefinition:
    """The episode job, rebuilt from the environment of whichever process asks (run workers
    and the multiprocess executor's step processes reconstruct it from this file)."""
    from reelforge.definitions import defs

    return defs().resolve_job_def("episode")


def _errors(instance: dg.DagsterInstance, run_id: str) -> list[str]:
    out = []
    for record in instance.all_logs(run_id):
        event = record.dagster_event
        if event is not None and event.is_step_failure and event.event_specific_data:
            out.append(f"{event.step_key}: {event.event_specific_data.error.message[:1500]}")
    return out


def _partition_tags(key: dg.MultiPartitionKey) -> dict[str, str]:
    tags = {"dagster/partition": str(key)}
    tags.update({f"dagster/partition/{dim}": value for dim, value in key.keys_by_dimension.items()})
    return tags


def _run_one(instance: dg.DagsterInstance, spec: dict[str, Any]) -> dict[str, Any]:
    from reelforge.partitions import episode_key

    recon = dg.reconstructable(episode_job)
    config = {**QUIET, **spec.get("run_config", {})}
    if "reexecute" in spec:
        options = dg.ReexecutionOptions.from_failure(spec["reexecute"], instance)
        parent = instance.get_run_by_id(spec["reexecute"])
        assert parent is not None
        # The Python API does not carry the parent's tags over as the UI does: without its
        # partition tags the re-execution would not know its partition.
        tags = {k: v for k, v in parent.tags.items() if k.startswith("dagster/partition")}
        result = dg.execute_job(
            recon, instance, run_config=config, tags=tags,
            reexecution_options=options, raise_on_error=False,
        )  # fmt: skip
    else:
        key = episode_key(*spec["partition"])
        # The tags a UI backfill gives a run of this partition (the per-channel run limit
        # keys on dagster/partition/channel).
        tags = {**spec.get("tags", {}), **_partition_tags(key)}
        selection = [dg.AssetKey(a) for a in spec["selection"]] if spec.get("selection") else None
        result = dg.execute_job(
            recon, instance, run_config=config, tags=tags, asset_selection=selection,
            raise_on_error=False,
        )  # fmt: skip
    return {
        "run_id": result.run_id,
        "success": result.success,
        "partition": spec.get("partition"),
        "errors": [] if result.success else _errors(instance, result.run_id),
    }


def _worker(worker: dict[str, Any]) -> None:
    os.setsid()  # own process group: killing it kills ffmpeg and step processes too
    os.environ.update(worker.get("env", {}))
    report = Path(worker["report"])
    with dg.DagsterInstance.get() as instance:
        for spec in worker["runs"]:
            try:
                entry = _run_one(instance, spec)
            except Exception:
                entry = {"success": False, "partition": spec.get("partition"),
                         "errors": [traceback.format_exc()[-3000:]]}  # fmt: skip
            with report.open("a") as fh:
                fh.write(json.dumps(entry) + "\n")


def _reap_all(block: bool, keep: frozenset[int] = frozenset(), deadline_s: float = 20.0) -> None:
    """Wait for orphans handed to this subreaper (their CPU time then counts as ours); with
    `block`, until only the `keep` children are left (the resource tracker that importing
    started, which lives as long as we do) or the deadline passes (stragglers on stderr)."""
    deadline = time.monotonic() + (deadline_s if block else 0.0)
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid:
            continue
        left = {p: c for p, c in _children().items() if p not in keep}
        if not left:
            return
        if time.monotonic() >= deadline:
            if block:
                print(f"drill runner: children still running: {left}", file=sys.stderr)
            return
        time.sleep(0.05)


def _children() -> dict[int, str]:
    me = str(os.getpid())
    out = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
            if text[text.rindex(")") + 2 :].split()[1] == me:
                cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ")
                out[int(stat.parent.name)] = cmdline.decode()[:200]
        except (OSError, ValueError):
            continue
    return out


def _cpu_seconds() -> float:
    own, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    ctypes.CDLL(None).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    for name in preload_modules():
        importlib.import_module(name)
    baseline = frozenset(_children())
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        pids = []
        for worker in request["workers"]:
            pid = os.fork()
            if pid == 0:
                code = 0
                try:
                    _worker(worker)
                except BaseException:
                    traceback.print_exc()
                    code = 1
                finally:
                    sys.stdout.flush()
                    sys.stderr.flush()
                    os._exit(code)
            pids.append(pid)
        print(json.dumps({"pids": pids}), flush=True)
        exits = {}
        for pid in pids:
            _, status = os.waitpid(pid, 0)
            exits[pid] = os.waitstatus_to_exitcode(status)
        _reap_all(block=False)
        print(json.dumps({"exits": exits}), flush=True)
    _reap_all(block=True, keep=baseline)
    print(json.dumps({"cpu_s": round(_cpu_seconds(), 1)}), flush=True)


if __name__ == "__main__":
    main()
