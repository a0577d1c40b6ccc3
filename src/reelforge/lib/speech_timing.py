"""Word timings for speech that did not come from espeak-ng: trimming, alignment, scaling.

Remote voices (and Piper) return audio with their own silence margins, and only some of
them report timings. Every clip is trimmed like the local synthesiser's output (a short
lead-in and tail around the voiced span) and its words are made monotonic and positive, so
`narration.compose` can treat all engines alike.

Two ways to get words:
- `words_from_characters`: a provider's character alignment (ElevenLabs), exact.
- `scale_reference`: espeak-ng's word events for the same text, stretched linearly onto the
  other voice's voiced span. This is APPROXIMATE: voices differ in rhythm and pauses, so a
  word may be off by a few hundred milliseconds in the middle of a long sentence; the first
  word's start and the last word's end are right. Good enough for captions that highlight
  words, not for lip sync.
"""

from __future__ import annotations

import io
import json
from math import gcd

import numpy as np
from scipy.signal import resample_poly

from reelforge.lib.speech import Speech

WordTiming = tuple[str, float, float]

# The same margins and silence threshold as lib/speech's espeak trimming, so pauses between
# segments sound the same whichever engine spoke them.
_FRAME_S, _SILENCE_DB, _FLOOR = 0.005, -45.0, 1e-4
_LEAD_PAD_S, _TAIL_PAD_S = 0.02, 0.05
_MIN_WORD_S = 0.01


def voiced_bounds(samples: np.ndarray, sample_rate: int) -> tuple[int, int]:
    """(first, last + 1) sample of the audible part; ValueError when there is none."""
    frame = max(1, round(sample_rate * _FRAME_S))
    usable = len(samples) // frame * frame
    frames = np.asarray(samples[:usable], dtype=np.float64).reshape(-1, frame)
    rms = np.sqrt(np.mean(frames**2, axis=1)) if frames.size else np.zeros(0)
    if rms.size == 0:
        raise ValueError("speech audio is empty")
    active = np.flatnonzero(rms > max(rms.max() * 10 ** (_SILENCE_DB / 20), _FLOOR))
    if active.size == 0:
        raise ValueError("speech audio is silent")
    return int(active[0] * frame), int((active[-1] + 1) * frame)


def resample(samples: np.ndarray, rate_from: int, rate_to: int) -> np.ndarray:
    """Polyphase resampling (float32 out); the identity when the rates already agree."""
    if rate_from == rate_to:
        return np.asarray(samples, dtype=np.float32)
    g = gcd(rate_from, rate_to)
    out = resample_poly(np.asarray(samples, dtype=np.float64), rate_to // g, rate_from // g)
    return out.astype(np.float32)


def words_from_characters(
    characters: list[str], starts: list[float], ends: list[float]
) -> list[WordTiming]:
    """Group a character alignment into whitespace-separated words.

    A word starts when its first character starts and ends when its last character ends.
    """
    if not len(characters) == len(starts) == len(ends):
        raise ValueError("character alignment lists differ in length")
    words: list[WordTiming] = []
    current: list[int] = []
    for i, ch in enumerate([*characters, " "]):
        if ch.strip():
            current.append(i)
        elif current:
            text = "".join(characters[j] for j in current)
            words.append((text, float(starts[current[0]]), float(ends[current[-1]])))
            current = []
    return words


def scale_reference(reference: Speech, samples: np.ndarray, sample_rate: int) -> list[WordTiming]:
    """espeak-ng's words for the same text, stretched onto `samples`' voiced span (approx.)."""
    if not reference.words:
        raise ValueError("the reference speech has no words")
    src_start, src_end = reference.words[0][1], reference.words[-1][2]
    first, last = voiced_bounds(samples, sample_rate)
    dst_start, dst_end = first / sample_rate, last / sample_rate
    factor = (dst_end - dst_start) / max(src_end - src_start, 1e-6)
    return [
        (text, dst_start + (a - src_start) * factor, dst_start + (b - src_start) * factor)
        for text, a, b in reference.words
    ]


def fit(samples: np.ndarray, sample_rate: int, words: list[WordTiming]) -> Speech:
    """Trim silence around the voice and clean `words` (times in the untrimmed audio).

    Words are shifted with the trim and clamped into the audio; a word that would start
    before the previous one ends, or has no duration left, joins the previous word, so no
    text is lost and captions never overlap.
    """
    first, last = voiced_bounds(samples, sample_rate)
    start = max(0, first - round(_LEAD_PAD_S * sample_rate))
    stop = min(len(samples), last + round(_TAIL_PAD_S * sample_rate))
    clip = np.asarray(samples[start:stop], dtype=np.float32).copy()
    duration = len(clip) / sample_rate
    shift = start / sample_rate
    cleaned: list[WordTiming] = []
    for text, a, b in words:
        a = min(max(0.0, a - shift), duration)
        b = min(max(0.0, b - shift), duration)
        if cleaned and (a < cleaned[-1][2] or b - max(a, cleaned[-1][2]) < _MIN_WORD_S):
            prev_text, prev_a, prev_b = cleaned[-1]
            cleaned[-1] = (f"{prev_text} {text}", prev_a, max(prev_b, b))
        elif b - a < _MIN_WORD_S:
            cleaned.append((text, a, min(duration, a + _MIN_WORD_S)))
        else:
            cleaned.append((text, a, b))
    if not cleaned:
        raise ValueError("speech has no words")
    clip.setflags(write=False)
    return Speech(samples=clip, sample_rate=sample_rate, words=cleaned)


def to_bytes(spoken: list[Speech]) -> bytes:
    """Serialise clips for the media store (npz, no pickles): audio arrays plus a JSON index."""
    meta = {"rates": [s.sample_rate for s in spoken], "words": [s.words for s in spoken]}
    buffer = io.BytesIO()
    arrays = {f"s{i}": np.asarray(s.samples, dtype=np.float32) for i, s in enumerate(spoken)}
    np.savez(buffer, meta=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8), **arrays)
    return buffer.getvalue()


def from_bytes(payload: bytes) -> list[Speech]:
    """The clips `to_bytes` stored."""
    with np.load(io.BytesIO(payload), allow_pickle=False) as arrays:
        meta = json.loads(arrays["meta"].tobytes())
        return [
            Speech(
                samples=arrays[f"s{i}"],
                sample_rate=int(rate),
                words=[(str(w), float(a), float(b)) for w, a, b in words],
            )
            for i, (rate, words) in enumerate(zip(meta["rates"], meta["words"], strict=True))
        ]
