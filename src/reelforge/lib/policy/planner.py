"""Plans for the next slots: Thompson sampling over the arm space, exploration, overrides.

Every slot draws the effects once from the posterior and takes the plan that is best under
that draw (within the channel's per-episode budget). A configurable share of slots is marked
exploration: the drawn plan with one parameter moved to its least-tried allowed value, so rare
values keep being measured even once the posterior is confident. That share holds for the
first EXPLORE_EPISODES matured episodes and then falls as 1/episodes. Overrides come last: a pin
fixes a value, an exclusion removes values, an A/B split alternates two values across the
channel's consecutive slots.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import cache
from typing import Any

import numpy as np

from reelforge.lib.overrides import PARAMETERS
from reelforge.lib.policy.cost import Chains, plan_cost
from reelforge.lib.policy.model import PolicyModel
from reelforge.lib.policy.space import (
    ArmSpace,
    Value,
    apply_overrides,
    arm_id,
    fixed_by_overrides,
)
from reelforge.lib.pricing import PriceTable

CostFn = Callable[[int, int], float]
# Thompson draws use the posterior sd × a scale that starts at 1 (textbook Thompson
# sampling) and narrows as episodes accumulate, sqrt(SCALE_EPISODES / episodes), never below
# SCALE_FLOOR: every day's plans count, so once the posterior is informative the draws stay
# closer to its mean. In the simulator this beat a constant scale (1 or 0.5) on held-out
# random truths (day-21 fraction of the oracle ~0.945 vs ~0.93 with 0.5, ~0.86 with 1).
SCALE_EPISODES = 15
SCALE_FLOOR = 0.3
DEFAULT_EXPLORE_SHARE = 0.05
# The exploration share holds for this many matured episodes and then falls as 1/episodes
# (the ε_n-greedy schedule of Auer, Cesa-Bianchi & Fischer, 2002). A least-tried value is
# usually one the posterior already rules out, so one exploration plan costs a lot: in the
# simulator one explored plan fell to 0.66 of the oracle while the others were at 0.98. Held
# constant, these plans pulled the day-42 fraction of the oracle down to 0.92 on random
# truths, while the model's own best plan was at 0.96. With the decay, the plans reach 0.96
# (bench/policy_bench.py --days 42). Days up to 21 at 6 episodes a day are unchanged.
EXPLORE_EPISODES = 120
JOINT = ("target_seconds", "speaking_rate_wpm")  # the parameters the cost depends on


def thompson_scale(episodes: int) -> float:
    """The posterior-sd multiplier of the Thompson draws after `episodes` observations."""
    return min(1.0, max(SCALE_FLOOR, math.sqrt(SCALE_EPISODES / max(1, episodes))))


def explore_share_at(share: float, episodes: int) -> float:
    """The exploration share after `episodes` observations: `share`, then ∝ 1/episodes."""
    return share * min(1.0, EXPLORE_EPISODES / max(1, episodes))


def cost_function(chains: Chains, prices: PriceTable) -> CostFn:
    @cache
    def cost(target_seconds: int, wpm: int) -> float:
        return plan_cost(chains, prices, target_seconds, wpm)

    return cost


@dataclass(frozen=True)
class Slot:
    channel: str
    date: str
    slot: int
    index: int  # lib.policy.space.slot_number: consecutive slots of a channel differ by one


@dataclass(frozen=True)
class PlannedSlot:
    """One planned episode, as the policy tables and generation_plan store it."""

    channel: str
    date: str
    slot: int
    params: dict[str, Value]
    experiment_id: str
    arm_id: str
    predicted_value: float | None  # posterior median of views per dollar
    predicted_sd: float | None  # posterior sd of views per dollar (log-normal)
    predicted_log: float | None
    predicted_log_sd: float | None
    explore: bool
    overrides_applied: tuple[str, ...]
    cost_usd: float
    within_budget: bool

    def record(self) -> dict[str, Any]:
        out = asdict(self)
        out["overrides_applied"] = list(self.overrides_applied)
        return out


def _options(space: ArmSpace, p: str, fixed: Mapping[str, Value], excluded: Mapping[str, set]):
    if p in fixed:
        return [fixed[p]]
    opts = [v for v in space.values[p] if v not in excluded.get(p, set())]
    return opts or list(space.values[p][:1])


def _pairs(space: ArmSpace, cost: CostFn, fixed, excluded) -> list[tuple[Value, Value, float]]:
    """(target_seconds, wpm, cost) pairs, the ones within budget, else the cheapest one."""
    pairs = [
        (t, w, cost(int(t), int(w)))
        for t in _options(space, "target_seconds", fixed, excluded)
        for w in _options(space, "speaking_rate_wpm", fixed, excluded)
    ]
    within = [p for p in pairs if p[2] <= space.budget_usd + 1e-12]
    return within or [min(pairs, key=lambda p: p[2])]


def best_plan(
    space: ArmSpace,
    score: Callable[[str, Value], float],
    cost: CostFn,
    fixed: Mapping[str, Value],
    excluded: Mapping[str, set],
) -> dict[str, Value]:
    """The plan maximising Σ score(parameter, value) − log(cost), within budget.

    The model is additive, so each parameter is chosen on its own, except length and pace,
    which the cost couples: those are chosen as a pair.
    """
    params: dict[str, Value] = {}
    for p in PARAMETERS:
        if p not in JOINT:
            params[p] = max(_options(space, p, fixed, excluded), key=lambda v, p=p: score(p, v))
    t, w, _ = max(
        _pairs(space, cost, fixed, excluded),
        key=lambda tw: score(JOINT[0], tw[0]) + score(JOINT[1], tw[1]) - math.log(tw[2]),
    )
    params.update({JOINT[0]: t, JOINT[1]: w})
    return params


def random_plan(
    space: ArmSpace,
    cost: CostFn,
    fixed: Mapping[str, Value],
    excluded: Mapping[str, set],
    rng: np.random.Generator,
) -> dict[str, Value]:
    """A plan drawn uniformly from the allowed values (length × pace among those in budget)."""
    params: dict[str, Value] = {}
    for p in PARAMETERS:
        if p not in JOINT:
            opts = _options(space, p, fixed, excluded)
            params[p] = opts[int(rng.integers(len(opts)))]
    pairs = _pairs(space, cost, fixed, excluded)
    t, w, _ = pairs[int(rng.integers(len(pairs)))]
    params.update({JOINT[0]: t, JOINT[1]: w})
    return params


def least_tried(
    params: Mapping[str, Value],
    counts: Mapping[tuple[str, str], int],
    space: ArmSpace,
    cost: CostFn,
    fixed: Mapping[str, Value],
    excluded: Mapping[str, set],
    rng: np.random.Generator,
) -> dict[str, Value]:
    """`params` with one free parameter moved to its least-tried allowed value (ties: random)."""
    candidates: list[tuple[int, float, str, Value]] = []
    for p in PARAMETERS:
        if p in fixed:
            continue
        for v in _options(space, p, fixed, excluded):
            if v == params[p]:
                continue
            trial = {**params, p: v}
            if cost(int(trial[JOINT[0]]), int(trial[JOINT[1]])) > space.budget_usd:
                continue
            candidates.append((counts.get((p, str(v)), 0), float(rng.random()), p, v))
    if not candidates:
        return dict(params)
    _, _, p, v = min(candidates)
    return {**params, p: v}


def plan_slots(
    model: PolicyModel | None,
    spaces: Mapping[str, ArmSpace],
    costs: Mapping[str, CostFn],
    slots: Sequence[Slot],
    overrides: Mapping[str, Sequence[Any]],
    *,
    explore_share: float,
    rng: np.random.Generator,
    experiment_id: str,
    posterior_scale: float | None = None,
) -> list[PlannedSlot]:
    """One plan per slot; without a model (no data yet) every plan is a random exploration.

    `explore_share` is the share while data are few (explore_share_at narrows it);
    `posterior_scale` fixes the Thompson draws' sd multiplier; None follows thompson_scale.
    """
    if not 0.0 <= explore_share <= 1.0:
        raise ValueError(f"explore_share must be within 0-1, got {explore_share}")
    share = explore_share_at(explore_share, model.n_obs) if model is not None else explore_share
    out = []
    for s in slots:
        space, cost = spaces[s.channel], costs[s.channel]
        ovs = list(overrides.get(s.channel, ()))
        fixed, excluded = fixed_by_overrides(ovs, s.index)
        coin = float(rng.random())
        if model is None:
            params, explore = random_plan(space, cost, fixed, excluded, rng), True
        else:
            scale = thompson_scale(model.n_obs) if posterior_scale is None else posterior_scale
            weights = model.sample(rng, scale)

            def score(p: str, v: Value, weights: np.ndarray = weights) -> float:
                return model.effect(p, v, weights)

            params = best_plan(space, score, cost, fixed, excluded)
            explore = coin < share
            if explore:
                params = least_tried(params, model.counts, space, cost, fixed, excluded, rng)
        scores = model.effects() if model is not None and excluded else None
        applied = apply_overrides(params, ovs, space, s.index, scores)
        params = applied.params
        usd = cost(int(params[JOINT[0]]), int(params[JOINT[1]]))
        value = sd = mu = mu_sd = None
        if model is not None:
            mu, mu_sd = model.predict(s.channel, params, usd)
            value = math.exp(mu)
            sd = value * math.sqrt(math.expm1(mu_sd**2))
        out.append(
            PlannedSlot(
                channel=s.channel, date=s.date, slot=s.slot, params=params,
                experiment_id=applied.ab[0] if applied.ab else experiment_id,
                arm_id=arm_id(params), predicted_value=value, predicted_sd=sd,
                predicted_log=mu, predicted_log_sd=mu_sd, explore=explore,
                overrides_applied=applied.applied + applied.problems, cost_usd=usd,
                within_budget=usd <= space.budget_usd + 1e-12,
            )
        )  # fmt: skip
    return out
