"""An episode's narration: every segment spoken, joined with pauses, loudness-normalised.

`compose` is shared by every speech engine (espeak-ng, Piper, remote voices): it takes a
`speak_all` callable that speaks the segments in order and returns one `Speech` per segment.
The segment spans tile the whole narration, so they double as scene durations, and the
word timings come with the speech (exact for espeak-ng and ElevenLabs), so captions line up.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np

from reelforge.lib import loudness, speech, wavio
from reelforge.lib.models import Span, Word
from reelforge.lib.speech_timing import resample

SpeakAll = Callable[[list[str]], list[speech.Speech]]

LEAD_IN_SECONDS = 0.15
TAIL_SECONDS = 0.25
# ffmpeg meters true peak at 192 kHz, our limiter at 4x: 0.5 dB margin under the -1.5 dBTP spec.
TRUE_PEAK_CEILING_DBTP = -2.0


@dataclass(frozen=True)
class Narration:
    duration: float
    segments: list[Span]
    words: list[Word]
    sample_rate: int
    integrated_lufs: float
    peak_dbfs: float


def narrate(
    texts: list[str],
    out_wav: Path,
    voice: str,
    rate_wpm: int,
    gap_seconds: float = 0.35,
    target_lufs: float = -16.0,
) -> Narration:
    """The local narration: espeak-ng (`voice`, `rate_wpm`) through `compose`."""
    speak_all = partial(speech.speak_fresh, voice=voice, rate_wpm=rate_wpm)
    return compose(
        texts, out_wav, speak_all=speak_all, gap_seconds=gap_seconds, target_lufs=target_lufs
    )


def compose(
    texts: list[str],
    out_wav: Path,
    *,
    speak_all: SpeakAll,
    gap_seconds: float = 0.35,
    target_lufs: float = -16.0,
) -> Narration:
    """Speak `texts` in order into a mono 16-bit WAV at `out_wav` (written atomically).

    Segment i starts where its speech starts (segment 0 at 0, covering the lead-in) and ends
    where segment i+1 starts; the pause after a segment belongs to it, and the last segment
    runs to the end of the audio. Clips at other rates are resampled to the first clip's.
    """
    if not texts:
        raise ValueError("narration needs at least one text segment")
    if not (math.isfinite(gap_seconds) and gap_seconds >= 0):
        raise ValueError(f"gap_seconds must be >= 0, got {gap_seconds}")
    spoken = speak_all(list(texts))
    if len(spoken) != len(texts):
        raise ValueError(f"{len(texts)} segments but {len(spoken)} spoken clips")
    sample_rate = spoken[0].sample_rate
    gap = round(gap_seconds * sample_rate)
    cursor = round(LEAD_IN_SECONDS * sample_rate)
    pieces = [np.zeros(cursor, dtype=np.float32)]
    starts: list[int] = []
    words: list[Word] = []
    for i, clip in enumerate(spoken):
        if i:
            pieces.append(np.zeros(gap, dtype=np.float32))
            cursor += gap
        starts.append(cursor)
        offset = cursor / sample_rate
        for text_, start, end in clip.words:
            # Clamp against float rounding so words never overlap across a zero-length gap.
            start = max(offset + start, words[-1].end if words else 0.0)
            words.append(Word(text=text_, start=start, end=offset + end, segment=i))
        samples = resample(clip.samples, clip.sample_rate, sample_rate)
        pieces.append(samples)
        cursor += len(samples)
    pieces.append(np.zeros(round(TAIL_SECONDS * sample_rate), dtype=np.float32))
    audio = loudness.normalise(
        np.concatenate(pieces), sample_rate, target_lufs, TRUE_PEAK_CEILING_DBTP
    )
    wavio.write_wav(out_wav, audio, sample_rate)
    # Report what was written (after 16-bit rounding), not the float signal.
    written, _ = wavio.read_wav(out_wav)
    total = len(audio)
    bounds = [0, *starts[1:], total]
    return Narration(
        duration=total / sample_rate,
        segments=[
            Span(start=bounds[i] / sample_rate, end=bounds[i + 1] / sample_rate)
            for i in range(len(spoken))
        ],
        words=words,
        sample_rate=sample_rate,
        integrated_lufs=loudness.integrated_lufs(written, sample_rate),
        peak_dbfs=20 * math.log10(max(float(np.abs(written).max()), 1e-10)),
    )
