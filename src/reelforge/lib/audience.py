"""Offline audience simulator: engagement from a hidden ground truth, deterministic per seed.

The truth is a JSON file (`REELFORGE_SIM_TRUTH`, default `config/sim_truth.json`; the README
documents its format). Expected lifetime views of a plan are

    base_views × Π categorical multipliers × Π numeric bumps × Π matching interactions
               × channel size factor (when the channel is named)

where the size factor is ``(subscribers / reference_subscribers) ** elasticity``. The realised
value carries log-normal noise drawn from the seed; views accumulate with post age as
``1 − exp(−age / τ)`` (τ from the half-life), so successive snapshots of one post are
monotonic, and likes/comments/shares/subscribers follow per-view rates.
"""

from __future__ import annotations

import json
import math
import random
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class NumericEffect(BaseModel):
    model_config = ConfigDict(extra="forbid")
    optimum: float
    width: float = Field(gt=0)
    amplitude: float = Field(ge=0, le=1)
    circular: float | None = Field(None, gt=0, description="period, e.g. 24 for hours")

    def factor(self, value: float) -> float:
        delta = value - self.optimum
        if self.circular:
            delta = (delta + self.circular / 2) % self.circular - self.circular / 2
        # 1 at the optimum, falling to (1 - amplitude) far away.
        return 1.0 - self.amplitude * (1.0 - math.exp(-0.5 * (delta / self.width) ** 2))


class Retention(BaseModel):
    model_config = ConfigDict(extra="forbid")
    base: float = Field(gt=0, le=1)
    per_second: float


class Interaction(BaseModel):
    """A multiplier that applies only when every listed parameter has the listed value."""

    model_config = ConfigDict(extra="forbid")
    when: dict[str, str] = Field(min_length=2)
    factor: float = Field(gt=0)


class ChannelSize(BaseModel):
    """How audience size scales views: ``(subscribers / reference) ** elasticity``."""

    model_config = ConfigDict(extra="forbid")
    reference_subscribers: float = Field(10_000, gt=0)
    elasticity: float = Field(0.5, ge=0, le=2)
    subscribers: dict[str, float] = Field(default_factory=dict, description="per channel slug")
    default_subscribers: float | None = Field(None, gt=0, description="unlisted channels")

    def factor(self, channel: str) -> float:
        subs = self.subscribers.get(channel, self.default_subscribers)
        if subs is None or subs <= 0:
            return 1.0
        return (subs / self.reference_subscribers) ** self.elasticity


class Truth(BaseModel):
    model_config = ConfigDict(extra="forbid")
    description: str = ""
    base_views: float = Field(gt=0)
    half_life_hours: float = Field(gt=0)
    noise_sigma: float = Field(ge=0, le=2)
    rates: dict[str, float]
    categorical: dict[str, dict[str, float]]
    numeric: dict[str, NumericEffect]
    retention: Retention
    interactions: list[Interaction] = Field(default_factory=list)
    channel_size: ChannelSize | None = None

    def size_factor(self, channel: str | None) -> float:
        if channel is None or self.channel_size is None:
            return 1.0
        return self.channel_size.factor(channel)

    def expected_views(self, params: dict[str, Any], *, channel: str | None = None) -> float:
        """Noise-free lifetime views of a plan (the quantity the policy tries to maximise).

        With `channel`, scaled by that channel's size (without, a reference-size channel).
        """
        value = self.base_views
        for name, table in self.categorical.items():
            value *= table.get(str(params.get(name)), 1.0)
        for name, effect in self.numeric.items():
            if name in params:
                value *= effect.factor(float(params[name]))
        for inter in self.interactions:
            if all(str(params.get(k)) == v for k, v in inter.when.items()):
                value *= inter.factor
        return value * self.size_factor(channel)


class Snapshot(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    age_hours: int
    views: int
    likes: int
    comments: int
    shares: int
    watch_time_s: float
    avg_view_pct: float


def load_truth(path: Path) -> Truth:
    try:
        return Truth.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        raise ValueError(f"invalid simulator truth file {path}: {exc}") from None


class _Draws:
    """The random draws of one post: lifetime views and the three per-view rate jitters."""

    def __init__(
        self, truth: Truth, params: dict[str, Any], seed: int, channel: str | None
    ) -> None:
        rng = random.Random(seed)  # nosec B311 # seeded random for reproducible content, simulation or retry jitter, not for security
        self.lifetime = truth.expected_views(params, channel=channel) * math.exp(
            rng.gauss(0.0, truth.noise_sigma)
        )
        self.jitter = {k: rng.random() for k in ("like", "comment", "share")}
        self.tau = truth.half_life_hours / math.log(2)


def _retention(truth: Truth, duration_s: float) -> float:
    return min(0.98, max(0.05, truth.retention.base + truth.retention.per_second * duration_s))


def _at(truth: Truth, draws: _Draws, duration_s: float, age_hours: float) -> dict[str, Any]:
    views = int(draws.lifetime * (1.0 - math.exp(-max(0.0, age_hours) / draws.tau)))
    retention = _retention(truth, duration_s)

    def count(kind: str) -> int:
        rate = truth.rates.get(kind, 0.0) * (0.8 + 0.4 * draws.jitter[kind])
        return int(views * rate)

    return {
        "views": views,
        "likes": count("like"),
        "comments": count("comment"),
        "shares": count("share"),
        "watch_time_s": round(views * duration_s * retention, 1),
        "avg_view_pct": round(100 * retention, 2),
        "avg_view_duration_s": round(duration_s * retention, 2),
        "subscribers_gained": int(views * truth.rates.get("subscribe", 0.0)),
    }


def engagement_at(
    truth: Truth,
    params: dict[str, Any],
    duration_s: float,
    age_hours: float,
    seed: int,
    *,
    channel: str | None = None,
) -> dict[str, Any]:
    """Cumulative engagement of one post at any age (hours, fractional allowed).

    The same numbers `simulate` gives at whole ages, plus average view duration and
    subscribers gained: what a platform's metrics endpoint answers for the post.
    """
    return _at(truth, _Draws(truth, params, seed, channel), duration_s, age_hours)


def simulate(
    truth: Truth,
    params: dict[str, Any],
    duration_s: float,
    ages_hours: tuple[int, ...],
    seed: int,
    *,
    channel: str | None = None,
) -> list[Snapshot]:
    """Cumulative engagement at each age for one post (`channel` adds its size factor)."""
    draws = _Draws(truth, params, seed, channel)
    out = []
    for age in sorted(ages_hours):
        values = _at(truth, draws, duration_s, age)
        values.pop("avg_view_duration_s")
        values.pop("subscribers_gained")
        out.append(Snapshot(age_hours=age, **values))
    return out
