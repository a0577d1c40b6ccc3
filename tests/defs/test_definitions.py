from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import dagster as dg

from reelforge.definitions import defs
from reelforge.defs.resources.storage import LedgerResource
from reelforge.defs.schedules.calendar import content_calendar
from reelforge.lib.budget import Limits
from reelforge.lib.calendar import next_day_slots

EPISODE_ASSETS = {
    "generation_plan", "story", "narration", "scene_images", "music", "captions", "videos",
    "uploads", "engagement", "episode_warehouse",
}  # fmt: skip


def test_definitions_load_and_validate() -> None:
    definitions = defs()
    dg.Definitions.validate_loadable(definitions)
    keys = {k.to_user_string() for k in definitions.resolve_all_asset_keys()}
    assert keys >= EPISODE_ASSETS
    graph = definitions.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        if not node.is_materializable:
            continue  # external assets have no code
        assert node.description, f"{key} has no docstring"
        if key.to_user_string() in EPISODE_ASSETS:
            assert node.partitions_def is not None, f"{key} is not partitioned"
    assert graph.get(dg.AssetKey("generation_policy")).partitions_def is None
    job = definitions.resolve_job_def("episode")
    assert job.partitions_def is not None
    marts = {
        k.to_user_string()
        for k in definitions.resolve_job_def("analytics_marts").asset_layer.executable_asset_keys
    }
    assert {
        "cost_per_episode",
        "cost_per_1k_views",
        "arm_performance",
        "channel_daily",
        "experiment_results",
    } <= marts
    assert graph.get(dg.AssetKey("stg_episodes")).parent_keys == {dg.AssetKey("episode_warehouse")}


def test_calendar_schedule_requests_tomorrow_per_channel_and_is_stopped(tmp_path: Path) -> None:
    assert content_calendar.default_status == dg.DefaultScheduleStatus.STOPPED
    when = dt.datetime(2026, 11, 22, 6, tzinfo=dt.UTC)
    ledger = LedgerResource(url=f"sqlite:///{tmp_path / 'ledger.sqlite'}")
    with dg.build_schedule_context(
        scheduled_execution_time=when, resources={"ledger": ledger}
    ) as context:
        requests = content_calendar(context)
    assert isinstance(requests, list) and len(requests) == 2
    for request in requests:
        assert request.partition_key.keys_by_dimension["date"] == "2026-11-23"
    assert {r.partition_key.keys_by_dimension["channel"] for r in requests} == {
        "space_facts",
        "history_bites",
    }


def test_calendar_gives_no_run_to_a_channel_over_its_daily_budget(tmp_path: Path) -> None:
    when = dt.datetime(2026, 11, 22, 6, tzinfo=dt.UTC)
    ledger = LedgerResource(url=f"sqlite:///{tmp_path / 'ledger.sqlite'}")
    budget = ledger.budget()
    # space_facts has a $2.00 daily cap: $2.00 already settled today.
    budget.reserve(hold_id="h1", channel="space_facts", day=when.date(), episode_id="e",
                   stage="story", provider="openai", estimate_usd=2.0,
                   channel_limits=Limits(2.0), global_limits=Limits())  # fmt: skip
    budget.settle("h1", 2.0)
    with dg.build_schedule_context(
        scheduled_execution_time=when, resources={"ledger": ledger}
    ) as context:
        requests = content_calendar(context)
    assert [r.partition_key.keys_by_dimension["channel"] for r in requests] == ["history_bites"]
    budget.reserve(hold_id="h2", channel="history_bites", day=when.date(), episode_id="e",
                   stage="story", provider="openai", estimate_usd=1.5,
                   channel_limits=Limits(1.5), global_limits=Limits())  # fmt: skip
    with dg.build_schedule_context(
        scheduled_execution_time=when, resources={"ledger": ledger}
    ) as context:
        skipped = content_calendar(context)
    assert isinstance(skipped, dg.SkipReason)
    assert "space_facts: budget used up" in skipped.skip_message
    assert "history_bites: budget used up" in skipped.skip_message


def test_calendar_skips_before_start() -> None:
    assert next_day_slots(dt.datetime(2020, 1, 1, tzinfo=dt.UTC), ["a"], dt.date(2026, 1, 1)) == []


def test_dagster_cli_validates_the_workspace() -> None:
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "dagster"), "definitions", "validate",
         "-w", "workspace.yaml"],
        cwd=root, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "All code locations passed validation" in proc.stderr + proc.stdout
