"""Music generation APIs: ElevenLabs Music (`POST {base}/v1/music`), always instrumental.

The prompt is built from the plan's mood, the channel's genre and a tempo (never from
free user text), asks for no vocals, and the answer's audio (mp3 by default, or raw PCM
with ``output_format=pcm_<rate>``) is decoded, looped or trimmed to the exact bed length
and normalised like every other bed. Generated lengths are clamped to what the API
accepts; the bed is fitted locally, so a 3-second or a 9-minute bed both work.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import numpy as np

from reelforge.lib import music_fit
from reelforge.lib.providers.errors import InvalidResponseError, ProviderError
from reelforge.lib.providers.http import ProviderHttp

# Words and tempo ranges per mood (the synthesiser's ranges, so beds stay comparable).
MOOD_STYLES: dict[str, tuple[str, tuple[int, int]]] = {
    "calm": ("calm, warm and gentle ambient with soft pads and light piano", (68, 78)),
    "upbeat": ("upbeat, bright and positive pop groove with light drums", (112, 126)),
    "mysterious": ("mysterious, curious and atmospheric with plucked synths", (80, 92)),
    "epic": ("epic, cinematic and building with strings and steady percussion", (94, 106)),
    "dark": ("dark, brooding and tense with low drones", (56, 64)),
}
MIN_SECONDS, MAX_SECONDS = 10.0, 300.0
DEFAULT_FORMAT = "mp3_44100_128"


def tempo_for(mood: str, seed: int) -> int:
    """A tempo in the mood's range, chosen by the seed (the same inputs, the same tempo)."""
    low, high = MOOD_STYLES.get(mood, MOOD_STYLES["calm"])[1]
    digest = hashlib.sha256(f"reelforge-tempo:{mood}:{seed}".encode()).digest()
    return low + int.from_bytes(digest[:4], "little") % (high - low + 1)


def music_prompt(mood: str, genre: str, bpm: int) -> str:
    """An instrumental brief: mood words, tempo, and a hint of the video's subject."""
    words = MOOD_STYLES.get(mood, (f"{mood} background music", (0, 0)))[0]
    return (
        f"Instrumental background music for a short video about {genre}: {words}, "
        f"around {bpm} BPM. No vocals, no lyrics. Even dynamics that sit under a narrator, "
        "no sudden drops, loopable."
    )


def requested_seconds(seconds: float) -> float:
    """The length to generate: the bed's length within what the API accepts."""
    return round(min(MAX_SECONDS, max(MIN_SECONDS, seconds)), 3)


@dataclass(frozen=True)
class MusicRequest:
    prompt: str
    seconds: float
    model: str
    output_format: str = DEFAULT_FORMAT

    def body(self) -> dict[str, Any]:
        return {
            "prompt": self.prompt,
            "music_length_ms": round(self.seconds * 1000),
            "model_id": self.model,
            "force_instrumental": True,
        }

    def booking_key(self) -> dict[str, Any]:
        """Everything that changes the answer (the request hash is taken over this)."""
        return {**self.body(), "output_format": self.output_format}


class ElevenLabsMusic:
    """POST {base}/v1/music?output_format=... with `xi-api-key`; the answer is audio bytes."""

    def __init__(self, http: ProviderHttp, model: str) -> None:
        self.http, self.model = http, model
        self.provider = http.provider

    def generate(self, request: MusicRequest) -> bytes:
        try:
            response = self.http.request(
                "POST",
                "v1/music",
                params={"output_format": request.output_format},
                json=request.body(),
            )
        except ProviderError as exc:
            if exc.status in (400, 422) and "bad_prompt" in str(exc):
                # The service refused the prompt's content: no retry, no cost, fall back.
                raise ProviderError(
                    self.provider, "the service refused the prompt (safety)", status=exc.status,
                    safety=True,
                ) from None  # fmt: skip
            raise
        kind = response.headers.get("content-type", "")
        if not response.content or not kind.startswith(("audio/", "application/octet-stream")):
            raise InvalidResponseError(
                self.provider, f"expected audio, got {kind or 'no content type'}", retryable=True
            )
        return response.content


def decode_payload(data: bytes, output_format: str) -> np.ndarray:
    """The answer's audio as (n, 2) float32 at the bed rate.

    ``pcm_<rate>`` answers are headerless 16-bit mono; everything else goes through ffmpeg.
    """
    if output_format.startswith("pcm_"):
        rate = int(output_format.split("_")[1])
        mono = music_fit.pcm16_to_stereo(data, channels=1)
        if rate == music_fit.SAMPLE_RATE:
            return mono
        from scipy.signal import resample_poly  # only for odd rates

        return resample_poly(mono, music_fit.SAMPLE_RATE, rate, axis=0).astype(np.float32)
    return music_fit.decode(data)
