"""Random ground truths for the audience simulator, in the format of config/sim_truth.json.

The learning loop must not be tuned to the one shipped truth: tests and `reelforge simulate`
runs use truths drawn here, with random categorical multipliers and random optima, widths and
amplitudes of the numeric bumps (ranges wide enough that the best plan moves around).
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from reelforge.lib import atomic
from reelforge.lib.audience import Truth
from reelforge.lib.policy.space import CAPTION_STYLES, VOCABULARIES

VOICES = ("en-us", "en-gb")
MULTIPLIER_RANGE = (0.8, 1.35)
# parameter -> (optimum range, width range, amplitude range, circular period)
NUMERIC_RANGES: dict[str, tuple[tuple[float, float], tuple[float, float], tuple[float, float],
                                float | None]] = {
    "target_seconds": ((25, 70), (12, 30), (0.2, 0.6), None),
    "posting_hour": ((0, 24), (2.5, 6), (0.2, 0.5), 24),
    "speaking_rate_wpm": ((140, 200), (25, 60), (0.15, 0.4), None),
}  # fmt: skip


def random_truth(seed: int, noise_sigma: float = 0.25) -> dict[str, Any]:
    """A truth document (JSON-ready) drawn from `seed`; same seed, same document."""
    rng = random.Random(seed)  # nosec B311 # seeded random for reproducible content, simulation or retry jitter, not for security
    lo, hi = MULTIPLIER_RANGE
    categorical = {
        name: {v: round(rng.uniform(lo, hi), 3) for v in values}
        for name, values in {
            **VOCABULARIES,
            "caption_style": CAPTION_STYLES,
            "voice": VOICES,
        }.items()
    }
    numeric = {}
    for name, (opt, width, amp, circular) in NUMERIC_RANGES.items():
        effect: dict[str, Any] = {
            "optimum": round(rng.uniform(*opt), 1),
            "width": round(rng.uniform(*width), 1),
            "amplitude": round(rng.uniform(*amp), 2),
        }
        if circular:
            effect["circular"] = circular
        numeric[name] = effect
    doc = {
        "description": f"Random ground truth (seed {seed}) from reelforge.lib.policy.truths.",
        "base_views": round(rng.uniform(500, 5000)),
        "half_life_hours": round(rng.uniform(6, 48), 1),
        "noise_sigma": noise_sigma,
        "rates": {"like": 0.045, "comment": 0.004, "share": 0.007},
        "categorical": categorical,
        "numeric": numeric,
        "retention": {"base": 0.55, "per_second": -0.004},
    }
    Truth.model_validate(doc)  # the generator never writes a file the simulator refuses
    return doc


def write_truth(path: Path, seed: int, noise_sigma: float = 0.25) -> Path:
    """Write a random truth file (atomically) and return its path."""
    atomic.write_text(path, json.dumps(random_truth(seed, noise_sigma), indent=2) + "\n")
    return path
