"""What an episode is expected to cost before it runs, from the price table.

Used to decide whether a run may start at all (the calendar and sensors skip a channel whose
next episode does not fit its remaining budget). Each stage is priced at the first paid
provider of the channel's chain for that stage (later ones are fallbacks); local stages cost
nothing. The quantities follow the plan: words from length and pace, one picture per scene,
music and motion clips for the whole length.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reelforge.lib.pricing import PriceTable

# Typical sizes, measured on the template writer's prompts and stories.
PROMPT_TOKENS = 1_500
STORY_TOKENS = 1_200
CHARS_PER_WORD = 6
SCENES = 7
CLIP_RESOLUTION = "720p"

# (provider, model) of the first paid provider of a stage, or None when the stage runs locally.
FirstPaid = Callable[[str], tuple[str, str] | None]


@dataclass(frozen=True)
class Estimate:
    total_usd: float
    by_stage: dict[str, float]

    def describe(self) -> str:
        parts = ", ".join(f"{k} ${v:.3f}" for k, v in self.by_stage.items() if v)
        return f"${self.total_usd:.3f}" + (f" ({parts})" if parts else " (all local)")


def episode_estimate(
    prices: PriceTable,
    first_paid: FirstPaid,
    *,
    target_seconds: float,
    speaking_rate_wpm: float,
    motion_clips: bool = False,
) -> Estimate:
    words = target_seconds * speaking_rate_wpm / 60
    stages: dict[str, float] = {}
    if paid := first_paid("story"):
        stages["story"] = prices.llm(*paid, PROMPT_TOKENS, STORY_TOKENS)
    if paid := first_paid("speech"):
        chars = words * CHARS_PER_WORD
        stages["speech"] = prices.per_unit("speech", *paid, "per_1k_chars", chars / 1000)
    if paid := first_paid("images"):
        stages["images"] = prices.per_unit("images", *paid, "per_image", SCENES)
    if paid := first_paid("music"):
        stages["music"] = prices.per_unit("music", *paid, "per_second", target_seconds)
    if motion_clips and (paid := first_paid("clips")):
        stages["clips"] = prices.clip(*paid, target_seconds, CLIP_RESOLUTION)
    return Estimate(round(sum(stages.values()), 6), {k: round(v, 6) for k, v in stages.items()})


def budget_block(remaining_usd: float | None, estimate: Estimate) -> str | None:
    """Why a run must not start, or None when it fits (no cap at all always fits)."""
    if remaining_usd is None:
        return None
    if remaining_usd <= 0:
        return f"budget used up (${remaining_usd:.3f} left)"
    if estimate.total_usd > remaining_usd:
        return f"estimate {estimate.describe()} exceeds the ${remaining_usd:.3f} left"
    return None
