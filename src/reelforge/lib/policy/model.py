"""A Bayesian linear model of log engagement per dollar, for Thompson sampling.

Features: one-hot plan parameters (numeric values snapped to the channel's grid) and the
channel as context (one-hot). Target: log views at 7 days. The plan's priced cost is known
before it runs, so it enters as an offset rather than being learned:

    log(views / cost) = intercept + Σ effect[parameter, value] + effect[channel] − log(cost)

The log makes the audience's multiplicative effects additive, which is what a linear model
fits well. The posterior is a Bayesian linear regression with a Gaussian prior on every
effect: its mean is scikit-learn's Ridge with the matching penalty, its covariance the usual
closed form. (BayesianRidge, which estimates one prior precision for all effects, shrank the
few large effects, such as genre or mood, towards zero and left good rare values stuck.)
Thompson sampling draws effects from that Gaussian posterior.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.linear_model import Ridge

from reelforge.lib.overrides import PARAMETERS
from reelforge.lib.policy.space import ArmSpace, Value


@dataclass(frozen=True)
class Observation:
    """One published episode: its plan, its 7-day views and what it cost."""

    channel: str
    params: Mapping[str, Any]
    views: float
    cost_usd: float


def _smooth(parameter: str, value: float) -> tuple[float, ...]:
    """Smooth features of a numeric value, so neighbouring grid values share what is learnt.

    Posting hour is circular (two harmonics of the day); length and pace get a centred
    value and its square (a bump with an optimum somewhere in the range).
    """
    if parameter == "posting_hour":
        a = 2 * math.pi * value / 24
        return (math.cos(a), math.sin(a), math.cos(2 * a), math.sin(2 * a))
    centre, spread = SMOOTH_SCALE[parameter]
    z = (value - centre) / spread
    return (z, z * z)


SMOOTH_SCALE = {"target_seconds": (55.0, 35.0), "speaking_rate_wpm": (170.0, 40.0)}
SMOOTH = ("speaking_rate_wpm", "target_seconds", "posting_hour")


# Prior sd of every effect on log views: weak (e^±1 is a 0.37-2.7× factor), the data decide;
# and the prior guess of the noise sd with its weight in pseudo-observations.
PRIOR_SD = 1.0
NOISE_PRIOR_SD = 0.3
NOISE_PRIOR_DOF = 5


class Encoder:
    """Columns: one-hot channel, one-hot (parameter, value) of every space, smooth numerics."""

    def __init__(self, spaces: Mapping[str, ArmSpace]) -> None:
        self.spaces = dict(spaces)
        cols: list[tuple[str, str]] = [("channel", c) for c in sorted(spaces)]
        for p in PARAMETERS:
            seen: dict[str, None] = {}
            for space in spaces.values():
                seen.update({str(v): None for v in space.values[p]})
            cols.extend((p, v) for v in seen)
        self.onehot = len(cols)
        self.smooth: dict[str, list[int]] = {}
        for p in SMOOTH:
            n = len(_smooth(p, 0.0))
            self.smooth[p] = list(range(len(cols), len(cols) + n))
            cols.extend((f"{p}~", str(j)) for j in range(n))
        self.columns = cols
        self.index = {c: i for i, c in enumerate(cols)}

    def __len__(self) -> int:
        return len(self.columns)

    def levels(self, channel: str, params: Mapping[str, Any]) -> list[tuple[str, str]]:
        space = self.spaces[channel]
        out = [("channel", channel)]
        for p in PARAMETERS:
            out.append((p, str(space.nearest(p, params[p]))))
        return out

    def value_features(self, parameter: str, value: Any) -> list[tuple[int, float]]:
        """(column, value) pairs a parameter value sets."""
        out = []
        i = self.index.get((parameter, str(value)))
        if i is not None:  # a value outside every space (e.g. an off-grid pin) has no one-hot
            out.append((i, 1.0))
        if parameter in self.smooth:
            out.extend(zip(self.smooth[parameter], _smooth(parameter, float(value)), strict=True))
        return out

    def encode(self, channel: str, params: Mapping[str, Any]) -> np.ndarray:
        x = np.zeros(len(self.columns))
        x[self.index[("channel", channel)]] = 1.0
        space = self.spaces[channel]
        for p in PARAMETERS:
            for i, v in self.value_features(p, space.nearest(p, params[p])):
                x[i] = v
        return x


@dataclass
class PolicyModel:
    """The fitted posterior: mean and covariance of the effects, plus explanations."""

    encoder: Encoder
    intercept: float
    mean: np.ndarray
    cov: np.ndarray
    noise_sd: float
    n_obs: int
    counts: dict[tuple[str, str], int]
    importance: dict[str, float]
    _chol: np.ndarray | None = field(default=None, repr=False)

    def effect(self, parameter: str, value: Value, weights: np.ndarray | None = None) -> float:
        """Effect of one parameter value on log views (posterior mean, or a drawn `weights`)."""
        w = self.mean if weights is None else weights
        return float(sum(w[i] * x for i, x in self.encoder.value_features(parameter, value)))

    def effects(self) -> dict[str, dict[str, float]]:
        """Posterior mean effect of every (parameter, value) of the spaces on log views."""
        out: dict[str, dict[str, float]] = {}
        for p, v in self.encoder.columns[: self.encoder.onehot]:
            if p in PARAMETERS:
                value: Value = int(v) if p in SMOOTH else v
                out.setdefault(p, {})[v] = round(self.effect(p, value), 6)
        return out

    def sample(self, rng: np.random.Generator, scale: float = 1.0) -> np.ndarray:
        """One Thompson draw of the effects from the posterior (sd multiplied by `scale`)."""
        if self._chol is None:
            jitter = 1e-9 * np.eye(len(self.mean))
            self._chol = np.linalg.cholesky(self.cov + jitter)
        return self.mean + scale * (self._chol @ rng.standard_normal(len(self.mean)))

    def predict(
        self, channel: str, params: Mapping[str, Any], cost_usd: float
    ) -> tuple[float, float]:
        """(posterior mean, posterior sd) of log(views per dollar) of a plan."""
        x = self.encoder.encode(channel, params)
        mu = self.intercept + float(x @ self.mean) - math.log(cost_usd)
        sd = math.sqrt(max(0.0, float(x @ self.cov @ x)))
        return mu, sd


def fit(observations: Sequence[Observation], spaces: Mapping[str, ArmSpace]) -> PolicyModel:
    """Fit the posterior to every observation (at least one)."""
    if not observations:
        raise ValueError("fit needs at least one observation")
    encoder = Encoder(spaces)
    X = np.stack([encoder.encode(o.channel, o.params) for o in observations])
    y = np.log(np.array([max(o.views, 0.0) + 1.0 for o in observations]))
    counts: dict[tuple[str, str], int] = {}
    for o in observations:
        for level in encoder.levels(o.channel, o.params):
            counts[level] = counts.get(level, 0) + 1
    p = len(encoder)
    if len(observations) < 2:
        # Nothing to compare yet: the prior (no effects, prior-wide uncertainty).
        cov = PRIOR_SD**2 * np.eye(p)
        return PolicyModel(encoder, float(y.mean()), np.zeros(p), cov, NOISE_PRIOR_SD,
                           len(observations), counts, {})  # fmt: skip
    # Posterior mean under a Gaussian prior N(0, PRIOR_SD²) on every effect = ridge regression
    # with alpha = noise variance / prior variance (the intercept is not penalised). The
    # noise variance has a scaled-inverse-chi² prior (NOISE_PRIOR_DOF pseudo-observations of
    # NOISE_PRIOR_SD): a first fit estimates it from the residuals, a second uses it.
    noise_var = NOISE_PRIOR_SD**2
    for _ in range(2):
        reg = Ridge(alpha=noise_var / PRIOR_SD**2, fit_intercept=True)
        reg.fit(X, y)
        rss = float(np.sum((y - reg.predict(X)) ** 2))
        previous, noise_var = (
            noise_var,
            ((rss + NOISE_PRIOR_DOF * NOISE_PRIOR_SD**2) / (len(y) + NOISE_PRIOR_DOF)),
        )
    mean = np.asarray(reg.coef_, dtype=float)
    Xc = X - X.mean(axis=0)
    cov = previous * np.linalg.inv(Xc.T @ Xc + (previous / PRIOR_SD**2) * np.eye(p))
    model = PolicyModel(
        encoder=encoder,
        intercept=float(reg.intercept_),
        mean=mean,
        cov=(cov + cov.T) / 2,
        noise_sd=math.sqrt(previous),
        n_obs=len(observations),
        counts=counts,
        importance={},
    )
    model.importance = importance(model)
    return model


def importance(model: PolicyModel) -> dict[str, float]:
    """Share of the explained spread per parameter: variance of its fitted effects.

    For each parameter, the variance of the posterior-mean effects of the values that were
    tried at least once (a parameter whose values all earn alike scores 0); normalised to
    sum to 1. Costs are not a parameter: the offset is known, not fitted.
    """
    raw: dict[str, float] = {}
    for p in PARAMETERS:
        effects = [
            model.effect(q, int(v) if q in SMOOTH else v)
            for q, v in model.encoder.columns[: model.encoder.onehot]
            if q == p and model.counts.get((q, v), 0) > 0
        ]
        raw[p] = float(np.var(effects)) if len(effects) > 1 else 0.0
    total = sum(raw.values())
    return {p: (round(v / total, 4) if total > 0 else 0.0) for p, v in raw.items()}
