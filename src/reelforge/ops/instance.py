"""The local Dagster instance (DAGSTER_HOME): its dagster.yaml and its pool sizes.

`make demo`, `make ui` and `reelforge instance-setup` call `prepare_instance`: it writes
dagster.yaml from config/concurrency.yaml (run queue with the per-channel in-flight limit,
pools, run monitoring) unless the operator wrote their own, and sets every pool's size.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from reelforge.constants import DEFAULT_CONCURRENCY
from reelforge.lib.atomic import write_text
from reelforge.lib.concurrency import ConcurrencySettings, instance_config, load_concurrency

MARKER = "# Written by reelforge from config/concurrency.yaml; delete this line to keep edits."


def instance_yaml(settings: ConcurrencySettings) -> str:
    body = {"telemetry": {"enabled": False}, **instance_config(settings)}
    return f"{MARKER}\n" + yaml.safe_dump(body, sort_keys=False)


def prepare_instance(home: Path, concurrency_path: Path = DEFAULT_CONCURRENCY) -> Path:
    """Write DAGSTER_HOME/dagster.yaml (ours only), point DAGSTER_HOME at it, size the pools."""
    settings = load_concurrency(concurrency_path)
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists() or config.read_text(encoding="utf-8").startswith(MARKER):
        write_text(config, instance_yaml(settings))
    os.environ["DAGSTER_HOME"] = str(home)
    apply_pools(home, settings)
    return home


def apply_pools(home: Path, settings: ConcurrencySettings) -> dict[str, int]:
    import dagster as dg

    with dg.DagsterInstance.from_config(str(home)) as instance:
        storage = instance.event_log_storage
        for pool, size in settings.pools.items():
            storage.set_concurrency_slots(pool, size)
            # Slots still held by runs that have ended (a killed `make demo`, say): free them,
            # as run monitoring does for the daemon's runs.
            for run_id in storage.get_concurrency_run_ids():
                run = instance.get_run_by_id(run_id)
                if run is None or run.is_finished:
                    storage.free_concurrency_slots_for_run(run_id)
        return {
            pool: instance.event_log_storage.get_concurrency_info(pool).slot_count
            for pool in settings.pools
        }
