"""Generation providers: one interface per stage, the local (offline, real work) implementation.

Each method returns its result and a `Usage` the asset books in the ledger. Remote
implementations (LLMs, TTS, image APIs) plug in behind the same interfaces; music beds
live in `music_providers`.
"""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
from PIL import Image

from reelforge.lib import artist, narration


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


class ImageArtist(dg.ConfigurableResource):
    """Draws one picture per scene and a title card at render size."""

    @abstractmethod
    def scene(self, prompt: str, genre: str, size: tuple[int, int], seed: int) -> Image.Image: ...

    @abstractmethod
    def title_card(
        self, title: str, genre: str, size: tuple[int, int], seed: int
    ) -> Image.Image: ...

    @abstractmethod
    def usage(self, images: int) -> Usage: ...


class LocalArtist(ImageArtist):
    """Procedural Pillow artist: palette, shapes and composition follow the prompt."""

    def scene(self, prompt: str, genre: str, size: tuple[int, int], seed: int) -> Image.Image:
        return artist.draw_scene(
            prompt=prompt, genre=genre, width=size[0], height=size[1], seed=seed
        )

    def title_card(self, title: str, genre: str, size: tuple[int, int], seed: int) -> Image.Image:
        return artist.draw_title_card(
            title=title, genre=genre, width=size[0], height=size[1], seed=seed
        )

    def usage(self, images: int) -> Usage:
        return Usage("pillow-artist", "procedural-v1", "images", images)
