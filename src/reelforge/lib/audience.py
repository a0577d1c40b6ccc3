"""Offline audience simulator: engagement from a hidden ground truth, deterministic per seed.

Expected lifetime views are ``base_views × Π categorical multipliers × Π numeric bumps``; the
realised value carries log-normal noise; views accumulate with age as
``1 − exp(−age / τ)`` so successive snapshots of one post are monotonic.
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

    def expected_views(self, params: dict[str, Any]) -> float:
        """Noise-free lifetime views of a plan (the quantity the policy tries to maximise)."""
        value = self.base_views
        for name, table in self.categorical.items():
            value *= table.get(str(params.get(name)), 1.0)
        for name, effect in self.numeric.items():
            if name in params:
                value *= effect.factor(float(params[name]))
        return value


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


def simulate(
    truth: Truth,
    params: dict[str, Any],
    duration_s: float,
    ages_hours: tuple[int, ...],
    seed: int,
) -> list[Snapshot]:
    """Cumulative engagement at each age for one post."""
    rng = random.Random(seed)
    lifetime = truth.expected_views(params) * math.exp(rng.gauss(0.0, truth.noise_sigma))
    tau = truth.half_life_hours / math.log(2)
    retention = min(0.98, max(0.05, truth.retention.base + truth.retention.per_second * duration_s))
    draws = {k: rng.random() for k in ("like", "comment", "share")}
    out = []
    for age in sorted(ages_hours):
        views = int(lifetime * (1.0 - math.exp(-age / tau)))

        def count(kind: str, views: int = views) -> int:
            rate = truth.rates.get(kind, 0.0) * (0.8 + 0.4 * draws[kind])
            return int(views * rate)

        out.append(
            Snapshot(
                age_hours=age,
                views=views,
                likes=count("like"),
                comments=count("comment"),
                shares=count("share"),
                watch_time_s=round(views * duration_s * retention, 1),
                avg_view_pct=round(100 * retention, 2),
            )
        )
    return out
