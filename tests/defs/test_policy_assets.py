"""generation_policy, generation_plan and the override jobs, materialized with real resources."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import dagster as dg
import duckdb
import numpy as np
import pytest

from reelforge.defs.assets.plan import generation_plan
from reelforge.defs.assets.policy import generation_policy
from reelforge.defs.overrides import remove_policy_override, set_policy_override
from reelforge.defs.resources.io_manager import RecordIOManager
from reelforge.defs.resources.storage import LedgerResource, WarehouseResource
from reelforge.defs.schedules.policy import policy_refresh
from reelforge.lib.models import Plan
from reelforge.lib.overrides import OverrideError, OverrideStore
from reelforge.lib.policy.space import channel_space
from reelforge.lib.warehouse import write_episode
from reelforge.partitions import current_config, episode_key

QUIET = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REELFORGE_HOME", str(tmp_path))
    return tmp_path


def _resources(home: Path) -> dict:
    return {
        "io_manager": RecordIOManager(root=str(home / "records")),
        "ledger": LedgerResource(url=f"sqlite:///{home / 'ledger.sqlite'}"),
        "warehouse": WarehouseResource(path=str(home / "warehouse.duckdb")),
    }


def _history(home: Path, n: int = 40) -> None:
    """Matured episodes of both channels, where mystery stories earn twice the views."""
    rng = np.random.default_rng(0)
    for i in range(n):
        channel = current_config().channels[i % 2]
        space = channel_space(channel)
        params = {p: vals[int(rng.integers(len(vals)))] for p, vals in space.values.items()}
        views = 2000 * (2.0 if params["genre"] == "mystery" else 1.0) * math.exp(rng.normal(0, 0.1))
        ep = f"{channel.slug}-hist-{i}"
        write_episode(home / "warehouse.duckdb", ep, {
            "episodes": [{"episode_id": ep, "channel": channel.slug, "date": "2026-11-21",
                          **params}],
            "engagement": [{"episode_id": ep, "platform": "outbox", "post_id": "p",
                            "age_hours": 168,
                            "views": int(views)}],
            "provider_calls": [],
        })  # fmt: skip


def _plan(home: Path, date: str, instance: dg.DagsterInstance) -> tuple[Plan, dict]:
    result = dg.materialize(
        [generation_plan], partition_key=episode_key(date, "space_facts"),
        resources=_resources(home), instance=instance, run_config=QUIET,
    )  # fmt: skip
    assert result.success
    meta = result.asset_materializations_for_node("generation_plan")[0].metadata
    return result.output_for_node("generation_plan"), meta


def test_policy_plans_tomorrow_and_generation_plan_follows_it_and_overrides(home: Path) -> None:
    _history(home)
    tomorrow = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)).isoformat()
    with dg.instance_for_test() as instance:
        default, _ = _plan(home, "2026-11-21", instance)  # no policy yet: channel defaults
        assert default.experiment_id == "baseline" and default.genre == "space"
        assert default.arm_id and default.predicted_value is None

        result = dg.materialize(
            [generation_policy], resources=_resources(home), instance=instance, run_config=QUIET
        )
        assert result.success
        meta = result.asset_materializations_for_node("generation_policy")[0].metadata
        assert meta["episodes_learnt_from"].value == 40
        assert meta["slots_planned"].value == 14  # 7 days × 1 episode × 2 channels
        assert "data:image/png;base64," in meta["importance_chart"].value
        assert "| channel | date |" in meta["next_plans"].value
        importance = meta["importance"].value
        assert max(importance, key=importance.get) == "genre"
        with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
            planned = con.execute(
                "SELECT genre, arm_id, experiment_id, predicted_value, explore FROM policy_plans "
                "WHERE channel = 'space_facts' AND date = ? AND slot = 0", [tomorrow]
            ).fetchone()  # fmt: skip
            assert con.execute("SELECT count(*) FROM policy_importance").fetchone() == (8,)
        assert planned is not None and planned[2].startswith("policy-")

        plan, meta = _plan(home, tomorrow, instance)
        assert (plan.genre, plan.arm_id, plan.experiment_id) == planned[:3]
        assert plan.predicted_value == pytest.approx(planned[3]) and plan.explore == planned[4]
        assert meta["source"].value.startswith("policy") and meta["arm_id"].value == plan.arm_id

        # An analyst pins the genre, as the dashboard does (through the store): it wins.
        store = OverrideStore(_resources(home)["ledger"].url)
        other = "history" if plan.genre != "history" else "nature"
        pin = store.add("space_facts", "genre", "pin", [other], "seasonal test", "ana")
        steered, meta = _plan(home, tomorrow, instance)
        assert steered.genre == other and steered.arm_id != plan.arm_id
        assert steered.overrides_applied == (f"genre pinned to {other}",)
        assert steered.predicted_value is None  # the stored prediction was for another plan
        assert steered.seed == plan.seed  # same slot, same seed
        store.remove(pin.override_id, "over", "ana")
        again, _ = _plan(home, tomorrow, instance)
        assert again.genre == plan.genre


def test_override_jobs_validate_store_and_audit(home: Path) -> None:
    resources = {"ledger": _resources(home)["ledger"]}
    config = {
        "channel": "history_bites", "parameter": "caption_style", "kind": "ab",
        "values": ["pop", "phrase"], "reason": "which caption style", "author": "ops",
    }  # fmt: skip
    ops = {"store_override": {"config": config}}
    result = set_policy_override.execute_in_process(
        run_config={"ops": ops, **QUIET}, resources=resources
    )
    assert result.success
    store = OverrideStore(resources["ledger"].url)
    (active,) = store.active("history_bites")
    assert active.kind == "ab" and active.values == ("pop", "phrase")
    assert store.audit()[0]["action"] == "override.add" and store.audit()[0]["actor"] == "ops"

    plans = []
    with dg.instance_for_test() as instance:
        for date in ("2026-11-21", "2026-11-22"):
            run = dg.materialize(
                [generation_plan], partition_key=episode_key(date, "history_bites"),
                resources=_resources(home), instance=instance, run_config=QUIET,
            )  # fmt: skip
            plans.append(run.output_for_node("generation_plan"))
    # Consecutive slots alternate the two arms, under the A/B split's experiment id.
    assert {p.caption_style for p in plans} == {"pop", "phrase"}
    assert plans[0].experiment_id == f"ab-history_bites-caption_style-{active.override_id}"

    bad = {"store_override": {"config": {**config, "kind": "pin", "values": ["comic-sans"]}}}
    with pytest.raises(OverrideError, match="'comic-sans' is not allowed"):
        set_policy_override.execute_in_process(
            run_config={"ops": bad, **QUIET}, resources=resources
        )
    assert store.active("history_bites") == [active]

    removed = remove_policy_override.execute_in_process(
        run_config={"ops": {"drop_override": {"config": {
            "override_id": active.override_id, "reason": "done", "author": "ops"}}}, **QUIET},
        resources=resources,
    )  # fmt: skip
    assert removed.success and store.active() == []
    assert store.audit()[0]["action"] == "override.remove"


def test_policy_refresh_schedule_is_daily_and_stopped() -> None:
    assert policy_refresh.default_status == dg.DefaultScheduleStatus.STOPPED
    assert policy_refresh.cron_schedule == "0 5 * * *"
    assert policy_refresh.job_name == "policy_refresh_job"
