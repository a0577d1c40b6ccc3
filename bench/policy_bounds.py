"""How far can any learner get with N episodes? Bounds for the day-21 target of the policy.

The issue asks for ≥ 0.95 of the oracle at day 21 (3 channels × 2 episodes a day, so 120
matured episodes) on every truth. This measures, on generated truths 1..T and seeds 0..S-1,
the fraction of the oracle of the best plan a model fitted on N episodes picks (posterior
mean, no exploration cost), for episodes drawn by:

- `uniform`: every parameter uniform over its values (no adaptivity at all);
- `genie`: every parameter uniform over its two truly best values only (and the length × pace
  pair over its two best pairs), the plan picked among those: an allocation that knew the
  contenders from the start. No learner knows them; this is an upper bound;

and, per categorical parameter on its own, the regret of top-two Thompson sampling (a
best-arm identification algorithm, Russo 2016) given all N episodes for that parameter alone,
summed over the parameters (`ttts-alone`): the cost of finding the best values when every
episode could be spent on each parameter separately, without the other parameters' noise.

Not a test: prints a table and one JSON line. ~1 s of CPU per truth and seed.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
from collections.abc import Callable
from typing import Any

import numpy as np
from policy_bench import summary, summary_line

from reelforge.constants import DEFAULT_PRICES
from reelforge.lib.audience import Truth, simulate
from reelforge.lib.overrides import PARAMETERS
from reelforge.lib.policy import planner
from reelforge.lib.policy import simulate as sim
from reelforge.lib.policy.model import Observation, fit
from reelforge.lib.policy.space import ArmSpace
from reelforge.lib.policy.truths import random_truth
from reelforge.lib.pricing import PriceTable

SEVEN_DAYS_H = 168
Design = Callable[[str, np.random.Generator], dict[str, Any]]


def _top(truth: Truth, space: ArmSpace, cost: planner.CostFn, k: int) -> dict[str, list]:
    """The `k` best values of every parameter (and pairs of length × pace) under the truth."""
    best, _ = sim.oracle_plan(truth, space, cost)

    def value(**change: Any) -> float:
        plan = {**best, **change}
        return sim.expected_epd(truth, plan, cost(int(plan[planner.JOINT[0]]),
                                                  int(plan[planner.JOINT[1]])))  # fmt: skip

    out = {
        p: sorted(space.values[p], key=lambda v, p=p: -value(**{p: v}))[:k]
        for p in PARAMETERS
        if p not in planner.JOINT
    }
    pairs = planner._pairs(space, cost, {}, {})
    out["pairs"] = sorted(pairs, key=lambda tw: -value(target_seconds=tw[0],
                                                      speaking_rate_wpm=tw[1]))[:k]  # fmt: skip
    return out


def design_fraction(
    truth: Truth, prices: PriceTable, design: str, episodes: int, seed: int
) -> float:
    setup = sim._setup(sim.sim_channels(3, 2), prices)
    rng = np.random.default_rng(seed)
    tops = {c: _top(truth, s, setup.costs[c], 2) for c, s in setup.spaces.items()}

    def draw(channel: str) -> dict[str, Any]:
        if design == "uniform":
            return planner.random_plan(setup.spaces[channel], setup.costs[channel], {}, {}, rng)
        top = tops[channel]
        plan = {p: v[int(rng.integers(len(v)))] for p, v in top.items() if p != "pairs"}
        t, w, _ = top["pairs"][int(rng.integers(len(top["pairs"])))]
        return {**plan, planner.JOINT[0]: t, planner.JOINT[1]: w}

    observations = []
    for i in range(episodes):
        channel = setup.channels[i % len(setup.channels)].slug
        plan = draw(channel)
        usd = setup.costs[channel](int(plan["target_seconds"]), int(plan["speaking_rate_wpm"]))
        views = simulate(truth, dict(plan), float(plan["target_seconds"]), (SEVEN_DAYS_H,),
                         int(rng.integers(1 << 30)))[-1].views  # fmt: skip
        observations.append(Observation(channel, plan, views, usd))
    model = fit(observations, setup.spaces)
    fractions = []
    for channel, space in setup.spaces.items():
        cost = setup.costs[channel]
        _, best = sim.oracle_plan(truth, space, cost)
        excluded: dict[str, set] = {}
        if design == "genie":
            top = tops[channel]
            excluded = {p: set(space.values[p]) - set(v) for p, v in top.items() if p != "pairs"}
        plan = planner.best_plan(space, lambda p, v: model.effect(p, v), cost, {}, excluded)
        if design == "genie":
            t, w, _ = max(top["pairs"], key=lambda tw: model.effect(planner.JOINT[0], tw[0])
                          + model.effect(planner.JOINT[1], tw[1]) - math.log(tw[2]))  # fmt: skip
            plan = {**plan, planner.JOINT[0]: t, planner.JOINT[1]: w}
        usd = cost(int(plan["target_seconds"]), int(plan["speaking_rate_wpm"]))
        fractions.append(sim.expected_epd(truth, plan, usd) / best)
    return statistics.fmean(fractions)


def _ttts_regret(mu: np.ndarray, sigma: float, episodes: int, prior_sd: float,
                 rng: np.random.Generator) -> float:  # fmt: skip
    """Regret of the value top-two Thompson sampling recommends after `episodes` pulls."""
    n, total = np.zeros(len(mu)), np.zeros(len(mu))

    def posterior() -> tuple[np.ndarray, np.ndarray]:
        precision = n / sigma**2 + 1 / prior_sd**2
        return total / sigma**2 / precision, 1 / np.sqrt(precision)

    for _ in range(episodes):
        mean, sd = posterior()
        arm = leader = int(np.argmax(mean + sd * rng.standard_normal(len(mu))))
        if rng.random() < 0.5:  # the challenger: the best of a draw the leader loses
            for _ in range(100):
                arm = int(np.argmax(mean + sd * rng.standard_normal(len(mu))))
                if arm != leader:
                    break
        n[arm] += 1
        total[arm] += mu[arm] + sigma * rng.standard_normal()
    return float(mu.max() - mu[int(np.argmax(posterior()[0]))])


def ttts_alone(truth: Truth, episodes: int, seed: int, prior_sd: float = 0.3) -> float:
    """exp(−Σ regret) of top-two Thompson sampling run on each categorical parameter alone."""
    rng = np.random.default_rng(seed)
    regret = 0.0
    for table in truth.categorical.values():
        mu = np.log(np.array(list(table.values())))
        regret += _ttts_regret(mu - mu.mean(), truth.noise_sigma, episodes, prior_sd, rng)
    return math.exp(-regret)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--truths", type=int, default=20, help="generated truths 1..T (default 20)")
    ap.add_argument("--seeds", type=int, default=3, help="seeds 0..S-1 (default 3)")
    ap.add_argument("--episodes", type=int, default=120, help="N (default 120: day 21)")
    ap.add_argument("--target", type=float, default=0.95)
    args = ap.parse_args()
    prices = PriceTable.load(DEFAULT_PRICES)
    results: dict[str, list[float]] = {"uniform": [], "genie": [], "ttts-alone": []}
    for k in range(1, args.truths + 1):
        truth = Truth.model_validate(random_truth(k))
        for seed in range(args.seeds):
            for design in ("uniform", "genie"):
                results[design].append(design_fraction(truth, prices, design, args.episodes, seed))
            results["ttts-alone"].append(ttts_alone(truth, args.episodes, seed))
        print(f"truth {k}: " + "  ".join(f"{d} {statistics.fmean(v[-args.seeds:]):.3f}"
                                          for d, v in results.items()), flush=True)  # fmt: skip
    report: dict[str, Any] = {"episodes": args.episodes, "runs": len(results["uniform"])}
    for design, values in results.items():
        report[design] = summary(values, args.target)
        print(summary_line(design, report[design], args.target, report["runs"]))
    print(json.dumps(report))


if __name__ == "__main__":
    main()
