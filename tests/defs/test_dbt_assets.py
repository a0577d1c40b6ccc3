"""The dbt models as Dagster assets, materialized against a small real DuckDB warehouse."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from dagster_dbt import DbtCliResource, DbtProject

from reelforge.constants import DBT_PROJECT_DIR, POOL_WAREHOUSE
from reelforge.defs.assets.dbt import warehouse_dbt_models
from reelforge.defs.dbt_manifest import dbt_executable, ensure_manifest, manifest_is_current
from reelforge.defs.resources.storage import WarehouseResource
from reelforge.lib import analytics_queries as q
from reelforge.lib.warehouse_synth import generate

MARTS = ("cost_per_episode", "cost_per_1k_views", "arm_performance", "channel_daily",
         "experiment_results", "episode_performance", "platform_daily")  # fmt: skip


def test_dbt_assets_build_the_marts_downstream_of_the_warehouse(tmp_path: Path) -> None:
    path = tmp_path / "warehouse.duckdb"
    counts = generate(path, 1600, channel_names=("space_facts", "history_bites"))
    names = q.tables(path)
    raw_overview = q.overview(path, names)
    raw_arms = q.arm_performance(path, names)

    result = dg.materialize(
        [warehouse_dbt_models],
        resources={
            "dbt": DbtCliResource(
                project_dir=str(DBT_PROJECT_DIR), dbt_executable=dbt_executable()
            ),
            "warehouse": WarehouseResource(path=str(path)),
        },
    )
    assert result.success
    done = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert set(MARTS) <= done
    checks = result.get_asset_check_evaluations()
    assert len(checks) >= 40 and all(c.passed for c in checks)

    with duckdb.connect(str(path), read_only=True) as con:
        episodes = con.execute("select count(*) from cost_per_episode").fetchone()[0]
        arms = con.execute(
            "select count(*), count(distinct parameter), min(episodes) from arm_performance"
        ).fetchone()
        floor = con.execute("select min(effective_cost_usd) from cost_per_episode").fetchone()[0]
    assert episodes == counts["episodes"]
    assert arms[1] == 8 and arms[2] >= 1
    assert floor == pytest.approx(q.COST_FLOOR_USD)

    # The dashboard's raw-table fallback agrees with the marts.
    names = q.tables(path)
    assert q.uses_marts(names)
    marts_overview = q.overview(path, names)
    for column in ("episodes", "cost_usd", "views", "cost_per_1k_views"):
        assert marts_overview.totals[column][0] == pytest.approx(raw_overview.totals[column][0])
    merged = raw_arms.merge(q.arm_performance(path, names), on=["parameter", "value"])
    assert len(merged) == len(raw_arms)
    assert (merged["episodes_x"] == merged["episodes_y"]).all()
    assert merged["engagement_per_dollar_x"].to_numpy() == pytest.approx(
        merged["engagement_per_dollar_y"].to_numpy()
    )


def test_dbt_step_shares_the_duckdb_writer_pool() -> None:
    assert warehouse_dbt_models.op.pool == POOL_WAREHOUSE
    spec_deps = {d.asset_key for spec in warehouse_dbt_models.specs for d in spec.deps}
    assert dg.AssetKey("episode_warehouse") in spec_deps


def test_manifest_is_parsed_offline_when_missing_or_stale(tmp_path: Path) -> None:
    project_dir = tmp_path / "dbt"
    shutil.copytree(DBT_PROJECT_DIR, project_dir, ignore=shutil.ignore_patterns("target", "logs"))
    project = DbtProject(project_dir=project_dir)
    assert not manifest_is_current(project)
    ensure_manifest(project)
    assert manifest_is_current(project)
    model = project_dir / "models" / "marts" / "arm_performance.sql"
    later = project.manifest_path.stat().st_mtime + 5
    os.utime(model, (later, later))
    assert not manifest_is_current(project)


def test_dbt_tolerates_additive_columns_and_uses_recorded_arms(tmp_path: Path) -> None:
    """Columns other helpers may add (arm_id, failed_stage, not_before) keep dbt working."""
    path = tmp_path / "warehouse.duckdb"
    generate(path, 800, channel_names=("space_facts", "history_bites"))
    with duckdb.connect(str(path)) as con:
        con.execute("alter table episodes add column if not exists arm_id varchar")
        con.execute("alter table episodes add column if not exists failed_stage varchar")
        con.execute("alter table uploads add column if not exists not_before timestamptz")
        con.execute("update episodes set arm_id = 'arm-' || (hash(episode_id) % 3)")
        con.execute(
            "update episodes set failed_stage = 'videos' where episode_id = "
            "(select min(episode_id) from episodes)"
        )
    proc = subprocess.run(
        [dbt_executable(), "build", "--quiet", "--vars", json.dumps({"warehouse_path": str(path)}),
         "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")],
        cwd=DBT_PROJECT_DIR, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:]
    with duckdb.connect(str(path), read_only=True) as con:
        arms = {
            r[0] for r in con.execute("select distinct arm_id from experiment_results").fetchall()
        }
        failed = con.execute(
            "select status, failed_stage from episode_performance where failed_stage = 'videos'"
        ).fetchall()
    assert arms == {"arm-0", "arm-1", "arm-2"}
    assert failed == [("failed", "videos")]
