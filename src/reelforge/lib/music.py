"""Background music beds synthesised with numpy, free of licensing questions (CC0, generated).

A bed is a chord progression in a seeded key, played as soft stereo pads with a bass line, an
arpeggio and, for driving moods, light drums; it fades in and out and is normalised to about
-20 LUFS so it sits under a -16 LUFS narration. The same (mood, seconds, seed) always gives a
byte-identical file.
"""

from __future__ import annotations

import hashlib
import itertools
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from reelforge.lib import loudness, wavio

MOODS = ("calm", "upbeat", "mysterious", "epic", "dark")
TARGET_LUFS = -20.0
CEILING_DBTP = -1.0
# Beds are mixed in memory (float32 stereo, ~21 MB a minute at 44.1 kHz): cap the length.
_MAX_SECONDS = 600
_NOTE_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
_SCALES = {"major": (0, 2, 4, 5, 7, 9, 11), "minor": (0, 2, 3, 5, 7, 8, 10)}
_ARP_PATTERNS = ((0, 1, 2, 3), (0, 1, 2, 1), (3, 2, 1, 0), (0, 2, 1, 3), (0, 2, 3, 2))


@dataclass(frozen=True)
class _Style:
    bpm: tuple[int, int]  # inclusive range; the ranges are disjoint so moods differ in tempo
    scale: str
    progressions: tuple[tuple[int, ...], ...]  # scale degrees from 0, one chord per bar
    bass_beats: tuple[float, ...]  # bass onsets within a 4-beat bar
    arp_beats: float  # length of one arpeggio note in beats
    kick_beats: tuple[float, ...]  # empty: no drums
    snare_beats: tuple[float, ...]
    harmonics: int  # pad brightness


_STYLES = {
    "calm": _Style((68, 78), "major", ((0, 4, 5, 3), (0, 3, 0, 4), (0, 5, 3, 4)), (0,), 1.0,
                   (), (), 3),
    "upbeat": _Style((112, 126), "major", ((0, 4, 5, 3), (0, 5, 3, 4), (3, 4, 0, 5)),
                     (0, 1.5, 2, 3, 3.5), 0.25, (0, 1, 2, 3), (1, 3), 4),
    "mysterious": _Style((80, 92), "minor", ((0, 6, 5, 6), (0, 3, 5, 4), (0, 5, 0, 6)),
                         (0, 2.5), 0.5, (), (), 3),
    "epic": _Style((94, 106), "minor", ((0, 5, 2, 6), (0, 5, 3, 4), (5, 6, 0, 0)),
                   (0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5), 0.25, (0, 2, 2.5), (2,), 5),
    "dark": _Style((56, 64), "minor", ((0, 5, 3, 4), (0, 1, 0, 4), (0, 0, 5, 4)), (0, 3), 1.0,
                   (), (), 2),
}  # fmt: skip


@dataclass(frozen=True)
class Music:
    duration: float
    sample_rate: int
    mood: str
    bpm: int
    key: str
    licence: dict[str, str]


def compose(mood: str, seconds: float, seed: int, out_wav: Path, sample_rate: int = 44100) -> Music:
    """Synthesise a `seconds`-long stereo bed for `mood` into a 16-bit WAV (atomically)."""
    if mood not in _STYLES:
        raise ValueError(f"unknown music mood {mood!r}; choose one of {', '.join(MOODS)}")
    if not (math.isfinite(seconds) and 0 < seconds <= _MAX_SECONDS):
        raise ValueError(f"seconds must be in (0, {_MAX_SECONDS}], got {seconds}")
    if sample_rate < 8000:
        raise ValueError(f"sample_rate must be at least 8000 Hz, got {sample_rate}")
    style = _STYLES[mood]
    # Seed through a hash so any int (even negative) works and moods do not share choices.
    digest = hashlib.sha256(f"reelforge-music:{mood}:{seed}".encode()).digest()
    rng = np.random.default_rng(int.from_bytes(digest[:8], "little"))
    root = int(rng.integers(12))
    bpm = int(rng.integers(style.bpm[0], style.bpm[1] + 1))
    progression = style.progressions[int(rng.integers(len(style.progressions)))]
    pattern = _ARP_PATTERNS[int(rng.integers(len(_ARP_PATTERNS)))]
    n = round(seconds * sample_rate)
    song = _Song(n, sample_rate, 60.0 / bpm, rng)
    scale = _SCALES[style.scale]
    bars = math.ceil(seconds / (4 * song.beat)) + 1
    for bar in range(bars):
        degree = progression[bar % len(progression)]
        chord = [48 + root + _degree_semitones(scale, degree + k) for k in (0, 2, 4)]
        song.bar(bar, chord, style, pattern)
    audio = song.out * _fades(n, sample_rate, seconds)[:, None]
    audio = loudness.normalise(audio, sample_rate, TARGET_LUFS, CEILING_DBTP)
    wavio.write_wav(out_wav, audio, sample_rate)
    key = f"{_NOTE_NAMES[root]} {style.scale}"
    return Music(
        duration=n / sample_rate,
        sample_rate=sample_rate,
        mood=mood,
        bpm=bpm,
        key=key,
        licence={
            "title": f"{mood.capitalize()} bed in {key}, {bpm} bpm (seed {seed})",
            "composer": "reelforge synthesiser",
            "licence": "CC0-1.0",
            "source": "generated",
            "seed": str(seed),
            "mood": mood,
        },
    )


def _degree_semitones(scale: tuple[int, ...], degree: int) -> int:
    return 12 * (degree // len(scale)) + scale[degree % len(scale)]


def _hz(midi: float) -> float:
    return 440.0 * 2 ** ((midi - 69) / 12)


def _fades(n: int, sample_rate: int, seconds: float) -> np.ndarray:
    """Raised-cosine fade in (up to 1.5 s) and out (up to 3 s), shortened for short beds."""
    gain = np.ones(n, dtype=np.float32)
    k_in = max(1, min(n, round(min(1.5, seconds / 4) * sample_rate)))
    k_out = max(1, min(n, round(min(3.0, seconds / 4) * sample_rate)))
    gain[:k_in] *= 0.5 - 0.5 * np.cos(np.pi * np.arange(k_in) / k_in)
    # Descending ramp whose very last sample is exactly 0.
    gain[n - k_out :] *= 0.5 - 0.5 * np.cos(np.pi * np.arange(k_out - 1, -1, -1) / k_out)
    return gain


class _Song:
    """A stereo mix buffer plus the instruments that write into it."""

    def __init__(self, n: int, sample_rate: int, beat: float, rng: np.random.Generator) -> None:
        self.n, self.sr, self.beat, self.rng = n, sample_rate, beat, rng
        self.out = np.zeros((n, 2), dtype=np.float32)
        self.kick, self.snare, self.hat = self._drum_kit()

    def bar(self, index: int, chord: list[int], style: _Style, pattern: tuple[int, ...]) -> None:
        start = index * 4 * self.beat
        bar_len = 4 * self.beat
        for note in chord:
            # Left and right voices are detuned a few cents apart: width without extra cost.
            tone = [
                self._tone(_hz(note + c), bar_len + 0.8, style.harmonics) for c in (-0.06, 0.06)
            ]
            env = self._pad_env(len(tone[0]), bar_len)
            self._add(start, np.stack(tone, axis=1) * env[:, None] * 0.12)
        onsets = [*style.bass_beats, 4.0]
        for b0, b1 in itertools.pairwise(onsets):
            length = (b1 - b0) * self.beat
            tone = self._tone(_hz(chord[0] - 12), length, 3, decay=0.5)
            self._add(start + b0 * self.beat, np.stack([tone, tone], axis=1) * 0.27)
        tones = [*chord, chord[0] + 12]
        steps = round(4 / style.arp_beats)
        for i in range(steps):
            note = tones[pattern[i % len(pattern)]] + 12
            tone = self._tone(_hz(note), style.arp_beats * self.beat * 1.5, 2, decay=0.18)
            pan = 0.5 + (0.25 if i % 2 else -0.25)
            stereo = np.stack([tone * (1 - pan), tone * pan], axis=1) * 0.11
            self._add(start + i * style.arp_beats * self.beat, stereo)
        for beat in style.kick_beats:
            self._add(start + beat * self.beat, self.kick)
        for beat in style.snare_beats:
            self._add(start + beat * self.beat, self.snare)
        if style.kick_beats:
            for eighth in range(8):
                accent = 1.0 if eighth % 2 else 0.45
                self._add(start + eighth * self.beat / 2, self.hat * accent)

    def _add(self, at_seconds: float, sound: np.ndarray) -> None:
        at = round(at_seconds * self.sr)
        take = min(len(sound), self.n - at)
        if take > 0:
            self.out[at : at + take] += sound[:take]

    def _tone(self, freq: float, seconds: float, harmonics: int, decay: float = 0.0) -> np.ndarray:
        """Band-limited saw-like tone (partials at 1/h); `decay` > 0 makes it a pluck."""
        # float32 sin is ~10x faster; note-local time keeps its phase error below 0.01 rad.
        t = np.arange(round(seconds * self.sr), dtype=np.float32) / np.float32(self.sr)
        partials = [h for h in range(1, harmonics + 1) if freq * h < 0.45 * self.sr]
        wave = sum(np.sin(np.float32(2 * np.pi * freq * h) * t) / np.float32(h) for h in partials)
        if decay > 0:
            attack = np.minimum(1.0, t / 0.004)
            release = np.clip((seconds - t) / 0.03, 0.0, 1.0)
            wave = wave * attack * np.exp(-t / decay) * release
        return np.asarray(wave)

    def _pad_env(self, n: int, held: float) -> np.ndarray:
        t = np.arange(n, dtype=np.float32) / np.float32(self.sr)
        attack = min(0.6, held / 3)
        rise = 0.5 - 0.5 * np.cos(np.pi * np.minimum(1.0, t / attack))
        fall = np.clip(1 - (t - held) / (n / self.sr - held), 0.0, 1.0)
        return rise * fall

    def _drum_kit(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Sine kick with a falling pitch, noise snare and a high-passed noise hat (stereo)."""
        t = np.arange(round(0.35 * self.sr)) / self.sr
        pitch = 45 + 85 * np.exp(-t / 0.04)
        kick = np.sin(2 * np.pi * np.cumsum(pitch) / self.sr) * np.exp(-t / 0.12) * 0.72
        noise = self.rng.standard_normal(len(t))
        body = np.sin(2 * np.pi * 190 * t) * np.exp(-t / 0.05)
        snare = (0.5 * noise * np.exp(-t / 0.07) + 0.6 * body) * 0.28
        # A first difference of white noise leaves mostly the top octaves: a cheap hi-hat.
        hat_t = t[: round(0.08 * self.sr)]
        hat = np.diff(self.rng.standard_normal(len(hat_t) + 1)) * np.exp(-hat_t / 0.02) * 0.04
        pans = ((0.5, 0.5), (0.45, 0.55), (0.35, 0.65))
        return tuple(  # type: ignore[return-value]
            np.stack([s * left, s * right], axis=1).astype(np.float32)
            for s, (left, right) in zip((kick, snare, hat), pans, strict=True)
        )
