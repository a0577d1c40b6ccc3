"""What a plan costs in dollars, from the price table, before anything is generated.

Offline providers cost $0, so "engagement per dollar" needs a price that does not vanish:
a plan is priced at the first provider of each of the channel's fallback chains (the one
that serves when every key is set; an empty chain means local, $0) at that provider's
default rate in config/prices.yaml, for the words, scenes and seconds the plan implies, plus
a render-compute rate per second of video (`compute.render.default.per_video_second` in the
price table, else `RENDER_USD_PER_VIDEO_SECOND`). The quantities follow the stages:

- story: ~600 prompt tokens in, ~2 tokens out per spoken word (JSON scenes and prompts);
- speech: ~5.8 characters per spoken word;
- images: one per scene (the writer's scene count for that many words) plus the title card;
- music: the bed's seconds (music APIs bill per second); clips: seconds × rate × 720p.

Words are `target_seconds × wpm / 60 × 0.9` (lib.plan.target_words), clamped like the writer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reelforge.lib.pricing import PriceTable
from reelforge.lib.providers.registry import BY_NAME, LOCAL
from reelforge.lib.story.writer import MAX_WORDS, MIN_WORDS, scene_count_for

# A 2-vCPU cloud machine (~$0.10/h) renders 1080x1920 veryfast at ~2 video s per wall s
# (make bench-render): ~1.4e-5 $/s; rounded up for storage and egress of the outputs.
RENDER_USD_PER_VIDEO_SECOND = 2e-5
STORY_TOKENS_IN = 600
STORY_TOKENS_PER_WORD = 2.0
CHARS_PER_WORD = 5.8


@dataclass(frozen=True)
class Chains:
    """The priced provider of each stage (first of the channel's chains, or local)."""

    story: str = LOCAL
    speech: str = LOCAL
    images: str = LOCAL
    music: str = LOCAL
    clips: str | None = None  # None: the channel has motion clips switched off

    @classmethod
    def of(cls, channel: Any) -> Chains:
        p = channel.providers

        def first(names: list[str]) -> str:
            return names[0] if names else LOCAL

        clips = first(p.clips) if getattr(channel, "motion_clips", False) else None
        return cls(first(p.story), first(p.speech), first(p.images), first(p.music), clips)


def spoken_words(target_seconds: float, wpm: float) -> int:
    words = round(target_seconds * wpm / 60 * 0.9)
    return min(max(words, MIN_WORDS), MAX_WORDS)


def _model(provider: str, family: str) -> str:
    spec = BY_NAME.get(provider)
    return spec.models.get(family, "default") if spec else "default"


def _rate(prices: PriceTable, family: str, provider: str) -> Mapping[str, Any] | None:
    if provider == LOCAL or provider not in prices.data.get(family, {}):
        return None  # local, piper, library and unpriced providers cost nothing
    # The price table calls the story family "llm"; the registry names models by stage.
    stage = "story" if family == "llm" else family
    return prices.rates(family, provider, _model(provider, stage))


def render_rate(prices: PriceTable) -> float:
    rates = prices.data.get("compute", {}).get("render", {}).get("default", {})
    return float(rates.get("per_video_second", RENDER_USD_PER_VIDEO_SECOND))


def plan_cost(chains: Chains, prices: PriceTable, target_seconds: float, wpm: float) -> float:
    """Dollars one episode of this length and pace costs on the channel's priced chains."""
    words = spoken_words(target_seconds, wpm)
    cost = render_rate(prices) * target_seconds
    if r := _rate(prices, "llm", chains.story):
        tokens_out = words * STORY_TOKENS_PER_WORD
        cost += (STORY_TOKENS_IN * r["input_per_mtok"] + tokens_out * r["output_per_mtok"]) / 1e6
    if r := _rate(prices, "speech", chains.speech):
        cost += words * CHARS_PER_WORD / 1000 * float(r["per_1k_chars"])
    if r := _rate(prices, "images", chains.images):
        cost += (scene_count_for(words) + 1) * float(r["per_image"])
    if r := _rate(prices, "music", chains.music):
        cost += target_seconds * float(r["per_second"])
    if chains.clips and (r := _rate(prices, "clips", chains.clips)):
        multiplier = float(r.get("multipliers", {}).get("720p", 1.0))
        cost += target_seconds * float(r["per_second"]) * multiplier
    return cost
