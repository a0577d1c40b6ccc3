"""16-bit PCM WAV files from float arrays, written atomically, and read back.

Audio is float in [-1, 1]: shape (n,) for mono or (n, channels). Writes go to a temporary file
in the destination directory and are renamed into place, so a reader never sees half a file.
"""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

from reelforge.lib.atomic import atomic_path

_FULL_SCALE = 32767


def to_pcm16(samples: np.ndarray) -> np.ndarray:
    """Float audio to little-endian int16, rounded and clipped (the same input, the same bytes)."""
    scaled = np.round(np.asarray(samples, dtype=np.float64) * _FULL_SCALE)
    return np.clip(scaled, -_FULL_SCALE - 1, _FULL_SCALE).astype("<i2")


def write_wav(path: Path, samples: np.ndarray, sample_rate: int) -> None:
    """Write `samples` as a 16-bit PCM WAV at `path`, atomically (temp file, fsync, rename)."""
    samples = np.asarray(samples)
    if samples.ndim not in (1, 2) or samples.shape[0] == 0:
        raise ValueError(f"expected non-empty (n,) or (n, channels) audio, got {samples.shape}")
    if not np.all(np.isfinite(samples)):
        raise ValueError("audio contains NaN or infinite samples")
    channels = 1 if samples.ndim == 1 else samples.shape[1]
    with atomic_path(Path(path)) as tmp, wave.open(str(tmp), "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(2)
        wav.setframerate(int(sample_rate))
        wav.writeframes(to_pcm16(samples).tobytes())


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    """Read a 16-bit PCM WAV as float32: (n,) when mono, else (n, channels); and its rate."""
    with wave.open(str(path), "rb") as wav:
        if wav.getsampwidth() != 2:
            raise ValueError(f"{path} is not 16-bit PCM (sample width {wav.getsampwidth()})")
        channels, rate = wav.getnchannels(), wav.getframerate()
        data = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
    audio = data.astype(np.float32) / _FULL_SCALE
    return (audio if channels == 1 else audio.reshape(-1, channels)), rate
