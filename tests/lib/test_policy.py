"""The policy's parts: arm space, plan cost, overrides, Thompson planner, model, tables."""

from __future__ import annotations

import datetime as dt
import io
import json
import math
from pathlib import Path

import duckdb
import numpy as np
import pytest
from PIL import Image

from reelforge.config import Channel, ConfigError, parse_config
from reelforge.constants import DEFAULT_PRICES
from reelforge.lib.overrides import OverrideStore
from reelforge.lib.policy import engine
from reelforge.lib.policy.chart import importance_png
from reelforge.lib.policy.cost import RENDER_USD_PER_VIDEO_SECOND, Chains, plan_cost
from reelforge.lib.policy.model import Observation, fit
from reelforge.lib.policy.planner import Slot, cost_function, plan_slots
from reelforge.lib.policy.space import (
    GRIDS,
    SpaceError,
    apply_overrides,
    arm_id,
    channel_space,
    coerce,
    slot_number,
)
from reelforge.lib.pricing import PriceTable
from reelforge.lib.story import GENRES

PRICES = PriceTable.load(DEFAULT_PRICES)


def _channel(**extra: object) -> Channel:
    data = {
        "slug": "space_facts", "display_name": "Space", "niche": "space facts", "genre": "space",
        "voice": "en-us", "posting_hour": 17, "daily_budget_usd": 2.0,
        "providers": {"story": ["anthropic"], "speech": ["elevenlabs"], "images": ["openai"]},
    }  # fmt: skip
    return Channel.model_validate({**data, **extra})


def test_space_comes_from_vocabularies_grids_and_allowed() -> None:
    space = channel_space(_channel())
    assert space.values["genre"] == GENRES
    assert space.values["voice"] == ("en-us", "en-gb")
    assert space.values["posting_hour"] == GRIDS["posting_hour"]
    assert space.defaults["posting_hour"] == 17 and space.budget_usd == 2.0
    narrow = channel_space(_channel(allowed={"genre": ["space", "science"], "posting_hour": [17]},
                                    episodes_per_day=4))  # fmt: skip
    assert narrow.values["genre"] == ("space", "science")
    assert narrow.values["posting_hour"] == (17,) and narrow.budget_usd == 0.5
    assert space.nearest("speaking_rate_wpm", 165) == 170


def test_bad_allowed_values_fail_the_config_clearly() -> None:
    data = {"calendar": {"start_date": "2026-11-21"},
            "channels": [{**_channel().model_dump(), "allowed": {"genre": ["cooking"],
                                                                 "colour": ["red"]}}]}  # fmt: skip
    with pytest.raises(ConfigError) as err:
        parse_config(data, Path("channels.yaml"))
    assert "'cooking' is not allowed" in str(err.value) and "'colour'" in str(err.value)
    with pytest.raises(SpaceError, match="outside 0-23"):
        coerce("posting_hour", "25")


def test_arm_ids_are_stable_and_distinct() -> None:
    params = dict(channel_space(_channel()).defaults)
    assert arm_id(params) == arm_id(dict(reversed(list(params.items()))))
    assert arm_id(params) != arm_id({**params, "posting_hour": 18})
    assert arm_id(params).startswith("arm-") and len(arm_id(params)) == 16


def test_plan_cost_prices_the_chain_and_the_render() -> None:
    premium = Chains.of(_channel())
    local = Chains.of(_channel(providers={}))
    assert plan_cost(local, PRICES, 45, 170) == pytest.approx(45 * RENDER_USD_PER_VIDEO_SECOND)
    cost = plan_cost(premium, PRICES, 45, 170)
    # speech dominates: ~115 words × 5.8 chars at $0.30/1k, + 6 images at $0.042, + the story
    assert 0.3 < cost < 1.0
    assert plan_cost(premium, PRICES, 60, 170) > cost > plan_cost(premium, PRICES, 30, 170)


class _O:
    def __init__(self, i: int, parameter: str, kind: str, values: list[str]) -> None:
        self.override_id, self.parameter, self.kind, self.values = i, parameter, kind, values

    def describe(self) -> str:
        return f"{self.kind} {self.parameter}"


def test_overrides_pin_exclude_and_alternate_ab() -> None:
    space = channel_space(_channel())
    base = dict(space.defaults)
    pinned = apply_overrides(base, [_O(1, "genre", "pin", ["history"])], space, 10)
    assert pinned.params["genre"] == "history" and pinned.applied == ("pin genre",)
    scores = {"music_mood": {"calm": 0.1, "epic": 0.4, "dark": -1}}
    out = apply_overrides({**base, "music_mood": "dark"},
                          [_O(2, "music_mood", "exclude", ["dark"])], space, 0, scores)  # fmt: skip
    assert out.params["music_mood"] == "epic"
    hour = apply_overrides(base, [_O(3, "posting_hour", "exclude", ["17", "18"])], space, 0)
    assert hour.params["posting_hour"] not in (17, 18)
    ab = [_O(4, "caption_style", "ab", ["pop", "phrase"])]
    days = [slot_number(dt.date(2027, 1, 1) + dt.timedelta(days=d), 0, 1) for d in range(4)]
    styles = [apply_overrides(base, ab, space, i).params["caption_style"] for i in days]
    assert styles in (["pop", "phrase"] * 2, ["phrase", "pop"] * 2)
    assert apply_overrides(base, ab, space, days[0]).ab == ("ab-space_facts-caption_style-4",)
    bad = apply_overrides(base, [_O(5, "genre", "pin", ["cooking"])], space, 0)
    assert bad.params["genre"] == "space" and "not allowed" in bad.problems[0]


def _observations(n: int, rng: np.random.Generator) -> list[Observation]:
    """A world where only genre and hook matter: space ×2, shocking_fact ×1.5."""
    space = channel_space(_channel())
    out = []
    for _ in range(n):
        params = {p: vals[int(rng.integers(len(vals)))] for p, vals in space.values.items()}
        views = 1000 * (2.0 if params["genre"] == "space" else 1.0)
        views *= 1.5 if params["hook_style"] == "shocking_fact" else 1.0
        out.append(Observation("space_facts", params, views * math.exp(rng.normal(0, 0.1)), 1.0))
    return out


def test_model_finds_what_matters_and_thompson_plans_exploit_it() -> None:
    rng = np.random.default_rng(1)
    channel = _channel()
    spaces = {"space_facts": channel_space(channel)}
    costs = {"space_facts": cost_function(Chains.of(channel), PRICES)}
    model = fit(_observations(150, rng), spaces)
    top = sorted(model.importance, key=model.importance.get, reverse=True)
    assert top[:2] == ["genre", "hook_style"] and sum(model.importance.values()) == pytest.approx(1)
    assert 0.05 < model.noise_sd < 0.2
    effects = model.effects()
    assert max(effects["genre"], key=effects["genre"].get) == "space"
    slots = [Slot("space_facts", f"2027-01-{d:02d}", 0, d) for d in range(1, 21)]
    plans = plan_slots(model, spaces, costs, slots, {}, explore_share=0.0, rng=rng,
                       experiment_id="exp")  # fmt: skip
    assert sum(p.params["genre"] == "space" for p in plans) >= 18
    assert all(p.within_budget and p.cost_usd <= 2.0 for p in plans)
    assert all(p.predicted_value > 0 and p.predicted_sd > 0 and not p.explore for p in plans)
    assert all(p.arm_id == arm_id(p.params) and p.experiment_id == "exp" for p in plans)
    # Exploration share: that many plans, each one value away from a drawn plan.
    explored = plan_slots(model, spaces, costs, slots * 5, {}, explore_share=0.3, rng=rng,
                          experiment_id="exp")  # fmt: skip
    assert 0.15 < sum(p.explore for p in explored) / len(explored) < 0.45
    # Overrides win: pin and exclusion.
    pins = {"space_facts": [_O(1, "genre", "pin", ["history"]),
                            _O(2, "hook_style", "exclude", ["shocking_fact"])]}  # fmt: skip
    steered = plan_slots(model, spaces, costs, slots, pins, explore_share=0.5, rng=rng,
                         experiment_id="exp")  # fmt: skip
    assert {p.params["genre"] for p in steered} == {"history"}
    assert "shocking_fact" not in {p.params["hook_style"] for p in steered}
    assert all(p.overrides_applied for p in steered)


def test_budget_limits_length_and_pace() -> None:
    def plans_for(budget: float) -> list:
        channel = _channel(daily_budget_usd=budget)
        spaces = {"space_facts": channel_space(channel)}
        costs = {"space_facts": cost_function(Chains.of(channel), PRICES)}
        slots = [Slot("space_facts", "2027-01-01", 0, i) for i in range(40)]
        rng = np.random.default_rng(0)
        return plan_slots(None, spaces, costs, slots, {}, explore_share=0.1, rng=rng,
                          experiment_id="e")  # fmt: skip

    plans = plans_for(0.45)
    assert all(p.explore and p.predicted_value is None for p in plans)  # no data: exploration
    assert all(p.cost_usd <= 0.45 and p.within_budget for p in plans)
    assert max(p.params["target_seconds"] for p in plans) == 45
    # Nothing fits: the cheapest plan, flagged over budget.
    tight = plans_for(0.1)
    assert all(not p.within_budget and p.params["target_seconds"] <= 30 for p in tight)


def test_engine_reads_the_warehouse_and_replaces_its_own_tables(tmp_path: Path) -> None:
    from reelforge.lib.warehouse import write_episode

    warehouse = tmp_path / "warehouse.duckdb"
    channel = _channel()
    rng = np.random.default_rng(2)
    for i, o in enumerate(_observations(30, rng)):
        ep = f"space_facts-{i}"
        write_episode(warehouse, ep, {
            "episodes": [{"episode_id": ep, "channel": "space_facts", "date": "2026-11-21",
                          **o.params}],
            "engagement": [{"episode_id": ep, "platform": "outbox", "post_id": "p",
                            "age_hours": age,
                            "views": int(o.views * f)} for age, f in ((24, 0.6), (168, 1.0))],
            "provider_calls": [],
        })  # fmt: skip
    write_episode(warehouse, "young", {
        "episodes": [{"episode_id": "young", "channel": "space_facts", "date": "2026-11-22",
                      **o.params}],
        "engagement": [{"episode_id": "young", "platform": "outbox", "post_id": "p",
                            "age_hours": 24,
                        "views": 5}],
    })  # fmt: skip
    store = OverrideStore(f"sqlite:///{tmp_path / 'ledger.sqlite'}")
    store.add("space_facts", "voice", "pin", ["en-gb"], "brand voice", "ana")
    start = dt.date(2027, 1, 1)
    proposal = engine.propose([channel], PRICES, warehouse, {"space_facts": store.active()},
                              start=start, days=3, explore_share=0.0, posterior_scale=0.5,
                              seed=1)  # fmt: skip
    assert len(proposal.history.observations) == 30 and proposal.history.immature == 1
    assert [p.date for p in proposal.plans] == ["2027-01-01", "2027-01-02", "2027-01-03"]
    assert {p.params["voice"] for p in proposal.plans} == {"en-gb"}
    counts = engine.write_tables(warehouse, proposal)
    counts = engine.write_tables(warehouse, proposal)  # replaced, not appended
    assert counts["policy_plans"] == 3 and counts["policy_importance"] == 8
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "SELECT channel, date, slot, voice, arm_id, predicted_value, "
            "overrides_applied FROM policy_plans ORDER BY date"
        ).fetchall()
        assert len(rows) == 3 and rows[0][:4] == ("space_facts", dt.date(2027, 1, 1), 0, "en-gb")
        assert json.loads(rows[0][6]) == ["voice pinned to en-gb"]
        assert con.execute("SELECT count(*) FROM episodes").fetchone() == (31,)
        top = con.execute("SELECT parameter FROM policy_importance ORDER BY importance DESC "
                          "LIMIT 1").fetchone()  # fmt: skip
    assert top[0] in ("genre", "hook_style")  # the two that matter, from 30 episodes
    record = tmp_path / "policy" / "plans.json"
    engine.write_record(record, proposal)
    loaded = engine.load_record(record)
    assert loaded is not None and loaded["observations"] == 30
    assert engine.planned_for(loaded, "space_facts", "2027-01-02", 0)["arm_id"] == rows[1][4]
    assert engine.planned_for(loaded, "space_facts", "2027-01-09", 0) is None
    assert engine.load_record(tmp_path / "none.json") is None


def test_importance_chart_is_a_png() -> None:
    png = importance_png({"genre": 0.5, "hook_style": 0.3, "voice": 0.2})
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.width == 520 and image.height > 100


def test_plans_recorded_before_the_policy_still_load() -> None:
    from reelforge.lib.models import Plan

    old = {
        "channel": "space_facts", "date": "2026-11-21", "genre": "space",
        "hook_style": "question", "voice": "en-us", "speaking_rate_wpm": 165,
        "music_mood": "mysterious", "target_seconds": 45, "caption_style": "karaoke",
        "posting_hour": 17, "language": "en", "experiment_id": "baseline", "seed": 1,
    }  # fmt: skip
    plan = Plan.model_validate(old)
    assert plan.arm_id is None and plan.explore is False and plan.overrides_applied == ()
    again = Plan.model_validate(json.loads(plan.model_dump_json()))
    assert again == plan
