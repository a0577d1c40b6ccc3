"""The learning loop on the audience simulator, without rendering: is the policy any good?

Each simulated day: plan every channel's slots (policy, random or fixed), let the simulator
say how many views each plan earns at 7 days (lib.audience.simulate), roll the episodes up,
refit the policy, and score the day by the *expected* (noise-free) views per dollar of its
plans, against the oracle: the best fixed plan of each channel under the truth (within
budget), found by coordinate ascent over the arm space (exact for the simulator's
separable response surface).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from reelforge.config import Channel
from reelforge.lib.audience import Truth, simulate
from reelforge.lib.overrides import PARAMETERS
from reelforge.lib.policy.cost import Chains
from reelforge.lib.policy.model import Observation, fit
from reelforge.lib.policy.planner import (
    DEFAULT_EXPLORE_SHARE,
    JOINT,
    CostFn,
    Slot,
    cost_function,
    plan_slots,
    random_plan,
)
from reelforge.lib.policy.space import ArmSpace, Value, arm_id, channel_space, slot_number
from reelforge.lib.pricing import PriceTable
from reelforge.lib.story import GENRES, HOOK_STYLES

Strategy = Literal["policy", "random", "fixed"]
STRATEGIES: tuple[str, ...] = ("policy", "random", "fixed")
SEVEN_DAYS_H = 168
SIM_START = dt.date(2027, 1, 1)

# Cost profiles of the simulated channels: premium, budget and fully local provider chains.
_PROFILES: tuple[dict[str, Any], ...] = (
    {"providers": {"story": ["anthropic"], "speech": ["elevenlabs"], "images": ["openai"]},
     "daily_budget_usd": 2.0},
    {"providers": {"story": ["openai"], "speech": ["openai"], "images": ["fal"]},
     "daily_budget_usd": 0.6},
    {"providers": {}, "daily_budget_usd": 0.5},
)  # fmt: skip
_MOODS = ("calm", "upbeat", "epic", "dark", "mysterious")
_CAPTIONS = ("phrase", "pop", "karaoke")


def sim_channels(count: int, per_day: int) -> list[Channel]:
    """`count` synthetic channels with different niches, defaults and provider costs."""
    if not 1 <= count <= 100:
        raise ValueError(f"channels must be 1-100, got {count}")
    if not 1 <= per_day <= 24:
        raise ValueError(f"per-day must be 1-24, got {per_day}")
    out = []
    for i in range(count):
        profile = _PROFILES[i % len(_PROFILES)]
        genre = GENRES[i % len(GENRES)]
        out.append(
            Channel.model_validate(
                {
                    "slug": f"sim{i}_{genre}", "display_name": f"Simulated {genre} {i}",
                    "niche": f"{genre} facts", "genre": genre,
                    "voice": ("en-us", "en-gb")[i % 2], "speaking_rate_wpm": 160 + 5 * (i % 3),
                    "episodes_per_day": per_day, "posting_hour": (9 + 5 * i) % 24,
                    "daily_budget_usd": profile["daily_budget_usd"] * per_day,
                    "defaults": {"hook_style": HOOK_STYLES[i % len(HOOK_STYLES)],
                                 "music_mood": _MOODS[i % len(_MOODS)], "target_seconds": 45,
                                 "caption_style": _CAPTIONS[i % len(_CAPTIONS)]},
                    "providers": profile["providers"],
                }
            )
        )  # fmt: skip
    return out


def expected_epd(truth: Truth, params: Mapping[str, Any], cost_usd: float) -> float:
    """Noise-free views per dollar of a plan under the truth."""
    return truth.expected_views(dict(params)) / cost_usd


def oracle_plan(truth: Truth, space: ArmSpace, cost: CostFn) -> tuple[dict[str, Value], float]:
    """The best fixed plan of the arm space under the truth, within the per-episode budget."""
    pairs = [
        (t, w) for t in space.values["target_seconds"] for w in space.values["speaking_rate_wpm"]
    ]
    feasible = [p for p in pairs if cost(int(p[0]), int(p[1])) <= space.budget_usd + 1e-12]
    feasible = feasible or [min(pairs, key=lambda p: cost(int(p[0]), int(p[1])))]
    plan: dict[str, Value] = {p: space.values[p][0] for p in PARAMETERS}

    def value(candidate: dict[str, Value]) -> float:
        usd = cost(int(candidate[JOINT[0]]), int(candidate[JOINT[1]]))
        return expected_epd(truth, candidate, usd)

    best = value(plan)
    for _ in range(10):  # coordinate ascent; converges in one pass on a separable truth
        before = best
        for p in PARAMETERS:
            if p in JOINT:
                continue
            for v in space.values[p]:
                trial = {**plan, p: v}
                if (score := value(trial)) > best:
                    plan, best = trial, score
        for t, w in feasible:
            trial = {**plan, JOINT[0]: t, JOINT[1]: w}
            if (score := value(trial)) > best:
                plan, best = trial, score
        if best <= before:
            break
    return plan, best


def _seed(*parts: Any) -> int:
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF


@dataclass(frozen=True)
class _Setup:
    channels: list[Channel]
    spaces: dict[str, ArmSpace]
    costs: dict[str, CostFn]


def _setup(channels: list[Channel], prices: PriceTable) -> _Setup:
    spaces = {c.slug: channel_space(c) for c in channels}
    costs = {c.slug: cost_function(Chains.of(c), prices) for c in channels}
    return _Setup(channels, spaces, costs)


def run(
    truth: Truth,
    prices: PriceTable,
    *,
    days: int,
    channels: int,
    per_day: int,
    strategy: str,
    seed: int,
    explore_share: float = DEFAULT_EXPLORE_SHARE,
    posterior_scale: float | None = None,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Run the loop for `days` days; the result is plain JSON-ready data."""
    if strategy not in STRATEGIES:
        raise ValueError(f"strategy {strategy!r} is not one of: {', '.join(STRATEGIES)}")
    if not 1 <= days <= 365:
        raise ValueError(f"days must be 1-365, got {days}")
    setup = _setup(sim_channels(channels, per_day), prices)
    oracle = {
        slug: oracle_plan(truth, space, setup.costs[slug]) for slug, space in setup.spaces.items()
    }
    rng = np.random.default_rng(seed)
    observations: list[Observation] = []
    daily = []
    for day in range(1, days + 1):
        date = (SIM_START + dt.timedelta(days=day - 1)).isoformat()
        slots = [
            Slot(c.slug, date, k, slot_number(date, k, per_day))
            for c in setup.channels
            for k in range(per_day)
        ]
        plans = _plan_day(
            setup, observations, slots, strategy, rng, explore_share, posterior_scale, date
        )
        ratios, values, oracles = [], [], []
        explored = 0
        for s, (params, explore) in zip(slots, plans, strict=True):
            usd = setup.costs[s.channel](int(params[JOINT[0]]), int(params[JOINT[1]]))
            epd = expected_epd(truth, params, usd)
            values.append(epd)
            oracles.append(oracle[s.channel][1])
            ratios.append(epd / oracle[s.channel][1])
            explored += int(explore)
            snaps = simulate(
                truth, dict(params), float(params["target_seconds"]), (SEVEN_DAYS_H,),
                _seed(seed, s.channel, date, s.slot),
            )  # fmt: skip
            observations.append(Observation(s.channel, params, snaps[-1].views, usd))
        daily.append(
            {
                "day": day, "date": date, "plans": len(slots), "explore": explored,
                "mean_epd": round(float(np.mean(values)), 3),
                "oracle_epd": round(float(np.mean(oracles)), 3),
                "fraction_of_oracle": round(float(np.mean(ratios)), 4),
            }
        )  # fmt: skip
        if progress:
            progress(day)
    last = daily[-1]
    return {
        "strategy": strategy,
        "days": days,
        "channels": channels,
        "per_day": per_day,
        "seed": seed,
        "explore_share": explore_share if strategy == "policy" else None,
        "oracle": {
            slug: {"plan": plan, "arm_id": arm_id(plan), "epd": round(value, 3)}
            for slug, (plan, value) in oracle.items()
        },
        "daily": daily,
        "final": {"day": last["day"], "mean_epd": last["mean_epd"],
                  "fraction_of_oracle": last["fraction_of_oracle"]},
    }  # fmt: skip


def _plan_day(
    setup: _Setup,
    observations: list[Observation],
    slots: list[Slot],
    strategy: str,
    rng: np.random.Generator,
    explore_share: float,
    posterior_scale: float | None,
    date: str,
) -> list[tuple[dict[str, Value], bool]]:
    if strategy == "fixed":
        return [(dict(setup.spaces[s.channel].defaults), False) for s in slots]
    if strategy == "random":
        return [
            (random_plan(setup.spaces[s.channel], setup.costs[s.channel], {}, {}, rng), True)
            for s in slots
        ]
    model = fit(observations, setup.spaces) if observations else None
    planned = plan_slots(
        model, setup.spaces, setup.costs, slots, {}, explore_share=explore_share, rng=rng,
        experiment_id=f"sim-{date}", posterior_scale=posterior_scale,
    )  # fmt: skip
    return [(p.params, p.explore) for p in planned]


def summary_line(result: Mapping[str, Any]) -> str:
    final = result["final"]
    return (
        f"{result['strategy']}: day {final['day']} at {final['fraction_of_oracle']:.1%} of the "
        f"oracle ({final['mean_epd']:.4g} expected views per dollar)"
    )


def fraction(result: Mapping[str, Any], day: int) -> float:
    return float(result["daily"][day - 1]["fraction_of_oracle"])


__all__ = ["STRATEGIES", "fraction", "oracle_plan", "run", "sim_channels", "summary_line"]
