"""Generation providers: one interface per stage, the local (offline, real work) implementation.

Each method returns its result and a `Usage` the asset books in the ledger. Remote
implementations (LLMs, TTS) plug in behind the same interfaces; music beds live in
`music_providers`, pictures in `image_providers`.
"""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from reelforge.lib import narration


@dataclass(frozen=True)
class Usage:
    provider: str
    model: str
    unit: str
    units: float
    unit_price_usd: float = 0.0


class SpeechSynth(dg.ConfigurableResource):
    """Speaks the narration segments into one normalised WAV with word timings."""

    @abstractmethod
    def narrate(
        self, texts: list[str], voice: str, rate_wpm: int, out_wav: Path, target_lufs: float
    ) -> tuple[narration.Narration, Usage]: ...


class LocalSpeech(SpeechSynth):
    """espeak-ng through its C API: exact word timings from its word events."""

    gap_seconds: float = 0.35

    def narrate(
        self, texts: list[str], voice: str, rate_wpm: int, out_wav: Path, target_lufs: float
    ) -> tuple[narration.Narration, Usage]:
        result = narration.narrate(
            texts,
            out_wav,
            voice=voice,
            rate_wpm=rate_wpm,
            gap_seconds=self.gap_seconds,
            target_lufs=target_lufs,
        )
        chars = sum(len(t) for t in texts)
        return result, Usage("espeak-ng", voice, "characters", chars)
