"""The learning loop on the simulator: better than random and near the oracle, on many truths."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from reelforge.cli import main
from reelforge.constants import DEFAULT_PRICES, DEFAULT_SIM_TRUTH
from reelforge.lib.audience import Truth, load_truth
from reelforge.lib.policy import planner, simulate
from reelforge.lib.policy.cost import Chains
from reelforge.lib.policy.planner import (
    EXPLORE_EPISODES,
    cost_function,
    explore_share_at,
    random_plan,
)
from reelforge.lib.policy.space import channel_space
from reelforge.lib.policy.truths import random_truth, write_truth
from reelforge.lib.pricing import PriceTable

PRICES = PriceTable.load(DEFAULT_PRICES)
GENERATED = (1, 2, 3)


def _truths() -> dict[str, Truth]:
    out = {"shipped": load_truth(DEFAULT_SIM_TRUTH)}
    out |= {f"generated-{k}": Truth.model_validate(random_truth(k)) for k in GENERATED}
    return out


TRUTHS = _truths()


def _run(truth: Truth, strategy: str, seed: int = 0) -> dict:
    return simulate.run(truth, PRICES, days=21, channels=3, per_day=2, strategy=strategy, seed=seed)


@pytest.mark.parametrize("name", list(TRUTHS))
def test_policy_learns_well_beyond_random_and_fixed(name: str) -> None:
    truth = TRUTHS[name]
    policy, rnd, fixed = (_run(truth, s) for s in ("policy", "random", "fixed"))
    day21 = simulate.fraction(policy, 21)
    assert day21 >= 1.5 * simulate.fraction(rnd, 21)
    assert day21 > simulate.fraction(fixed, 21)
    assert day21 >= 0.85
    # It learns: the last week beats the first.
    first = sum(d["fraction_of_oracle"] for d in policy["daily"][:7]) / 7
    last = sum(d["fraction_of_oracle"] for d in policy["daily"][-7:]) / 7
    assert last > first + 0.2
    assert all(d["plans"] == 6 for d in policy["daily"])
    assert fixed["daily"][0]["fraction_of_oracle"] == fixed["daily"][-1]["fraction_of_oracle"]


def test_shipped_truth_reaches_095_of_the_oracle_by_day_21() -> None:
    result = _run(TRUTHS["shipped"], "policy")
    assert simulate.fraction(result, 21) >= 0.95


def _weeks_3_and_6(truth: Truth) -> tuple[float, float]:
    """Mean fraction of the oracle over days 15-21 and over days 36-42."""
    result = simulate.run(truth, PRICES, days=42, channels=3, per_day=2, strategy="policy",
                          seed=0)  # fmt: skip
    fractions = [d["fraction_of_oracle"] for d in result["daily"]]
    return sum(fractions[14:21]) / 7, sum(fractions[35:42]) / 7


def test_it_keeps_learning_after_day_21_and_explores_less(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    decaying = {name: _weeks_3_and_6(truth) for name, truth in TRUTHS.items()}
    assert all(late > early for early, late in decaying.values()), decaying
    # A constant exploration share keeps paying for least-tried values the model has ruled out.
    monkeypatch.setattr(planner, "EXPLORE_EPISODES", 10**9)
    constant = {name: _weeks_3_and_6(truth) for name, truth in TRUTHS.items()}
    assert sum(v[1] for v in decaying.values()) > sum(v[1] for v in constant.values())


def test_exploration_share_holds_then_falls_as_one_over_episodes() -> None:
    assert explore_share_at(0.05, 1) == explore_share_at(0.05, EXPLORE_EPISODES) == 0.05
    assert explore_share_at(0.05, 2 * EXPLORE_EPISODES) == pytest.approx(0.025)
    assert explore_share_at(0.0, 500) == 0.0


@pytest.mark.xfail(
    strict=True,
    reason="0.95 at day 21 is not reached on every generated truth: with 6 episodes a day "
    "and log-normal noise sd 0.25, 120 episodes cannot always tell values 5-9 % apart. The "
    "model's own best plan at day 21 does no better than its plans (0.952 vs 0.947 mean, 61 % "
    "of 33 runs >= 0.95: bench/policy_bench.py), and even top-two Thompson sampling given all "
    "120 episodes for each categorical parameter alone reaches 0.95 in only 83 % of 60 runs "
    "(bench/policy_bounds.py; README, The learning loop)",
)
def test_095_of_the_oracle_on_every_generated_truth() -> None:
    for k in GENERATED:
        assert simulate.fraction(_run(TRUTHS[f"generated-{k}"], "policy"), 21) >= 0.95


def test_oracle_is_the_best_plan_of_the_space() -> None:
    truth = TRUTHS["shipped"]
    channel = simulate.sim_channels(1, 1)[0]

    space, cost = channel_space(channel), cost_function(Chains.of(channel), PRICES)
    plan, best = simulate.oracle_plan(truth, space, cost)
    assert plan["genre"] == "space" and plan["hook_style"] == "shocking_fact"
    rng = np.random.default_rng(0)
    for _ in range(300):
        other = random_plan(space, cost, {}, {}, rng)
        usd = cost(int(other["target_seconds"]), int(other["speaking_rate_wpm"]))
        assert simulate.expected_epd(truth, other, usd) <= best + 1e-9


def test_same_seed_same_output_and_cli_json(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    truth_file = write_truth(tmp_path / "truth.json", seed=7)
    assert load_truth(truth_file).description.startswith("Random ground truth (seed 7)")
    args = ["simulate", "--days", "4", "--channels", "2", "--per-day", "1", "--strategy",
            "policy", "--truth", str(truth_file), "--seed", "3", "--json"]  # fmt: skip
    assert main(args) == 0
    first = capsys.readouterr().out
    assert main(args) == 0
    assert capsys.readouterr().out == first
    result = json.loads(first)
    assert result["truth"] == str(truth_file) and result["strategy"] == "policy"
    assert [d["day"] for d in result["daily"]] == [1, 2, 3, 4]
    day = result["daily"][-1]
    assert set(day) == {"day", "date", "plans", "explore", "mean_epd", "oracle_epd",
                        "fraction_of_oracle"}  # fmt: skip
    assert 0 < day["fraction_of_oracle"] <= 1 and day["plans"] == 2
    assert set(result["oracle"]) == {c.slug for c in simulate.sim_channels(2, 1)}
    assert result["final"]["fraction_of_oracle"] == day["fraction_of_oracle"]
    assert main([*args[:-1]]) == 0  # the table form
    assert "of the oracle" in capsys.readouterr().out


def test_bad_arguments_are_refused(capsys: pytest.CaptureFixture) -> None:
    assert main(["simulate", "--days", "0", "--json"]) == 2
    assert "days must be 1-365" in capsys.readouterr().err
    assert main(["simulate", "--truth", "/nonexistent.json", "--json"]) == 2
    assert "invalid simulator truth file" in capsys.readouterr().err


def test_random_truths_differ_and_validate() -> None:
    a, b = random_truth(1), random_truth(2)
    assert a != b and random_truth(1) == a
    Truth.model_validate(a)
    assert set(a["categorical"]) == set(json.loads(DEFAULT_SIM_TRUTH.read_text())["categorical"])
