"""Turn any music (a generated track, a library file) into a bed of an exact length.

Audio is decoded by ffmpeg to stereo float32 at one rate, looped with an equal-power
crossfade at every seam (a hard cut at the loop point clicks and jumps), trimmed to the
exact sample count, faded in and out and normalised to the bed loudness (-20 LUFS, the
same as the synthesiser's beds) before it is written atomically as a 16-bit WAV.
"""

from __future__ import annotations

import math
import subprocess  # nosec B404 # subprocess runs fixed local tools with argument lists, never a shell
from pathlib import Path

import numpy as np

from reelforge.lib import loudness, wavio
from reelforge.lib.music import CEILING_DBTP, TARGET_LUFS

SAMPLE_RATE = 44100
CROSSFADE_SECONDS = 1.5
FADE_IN_SECONDS = 0.5
FADE_OUT_SECONDS = 2.0
_MAX_SECONDS = 600


class AudioDecodeError(ValueError):
    """The bytes or file are not audio ffmpeg can decode (or ffmpeg is missing)."""


def decode(source: bytes | Path, sample_rate: int = SAMPLE_RATE) -> np.ndarray:
    """Decode encoded audio (mp3, wav, flac, ogg, ...) to (n, 2) float32 at `sample_rate`."""
    from_pipe = isinstance(source, bytes)
    cmd = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error"]
    cmd += ["-i", "pipe:0" if from_pipe else str(source)]
    cmd += ["-vn", "-ac", "2", "-ar", str(sample_rate), "-f", "s16le", "-acodec", "pcm_s16le"]
    cmd += ["pipe:1"]
    try:
        proc = subprocess.run(  # nosec B603 # argument list to ffmpeg; file paths are passed as single arguments, no shell
            cmd, input=source if from_pipe else None, capture_output=True, check=False
        )
    except FileNotFoundError as exc:
        raise AudioDecodeError("ffmpeg is not installed (needed to decode music)") from exc
    if proc.returncode != 0 or not proc.stdout:
        # ffmpeg's own words only (they name the format problem, never our data).
        tail = proc.stderr.decode(errors="replace").strip()[-300:]
        raise AudioDecodeError(f"cannot decode audio: {tail or 'no audio stream'}")
    return pcm16_to_stereo(proc.stdout, channels=2)


def pcm16_to_stereo(raw: bytes, channels: int) -> np.ndarray:
    """Little-endian 16-bit PCM bytes (mono or stereo) to (n, 2) float32."""
    usable = len(raw) - len(raw) % (2 * channels)
    if usable <= 0:
        raise AudioDecodeError("no audio samples")
    data = np.frombuffer(raw[:usable], dtype="<i2").astype(np.float32) / 32768.0
    frames = data.reshape(-1, channels)
    return frames if channels == 2 else np.repeat(frames, 2, axis=1)


def loop_to_length(audio: np.ndarray, n: int, crossfade: int) -> np.ndarray:
    """`audio` repeated (crossfading `crossfade` samples at each seam) and cut to `n` frames."""
    if len(audio) == 0 or n <= 0:
        raise ValueError("need some audio and a positive length")
    if len(audio) >= n:
        return audio[:n].copy()
    # A seam longer than a quarter of the track would blur most of it.
    k = max(0, min(crossfade, len(audio) // 4))
    t = np.linspace(0.0, math.pi / 2, k, dtype=np.float32)[:, None]
    fade_out, fade_in = np.cos(t), np.sin(t)  # equal power: cos² + sin² = 1
    out = np.empty((n + len(audio), audio.shape[1]), dtype=np.float32)
    out[: len(audio)] = audio
    end = len(audio)
    while end < n:
        start = end - k
        if k:
            out[start:end] = out[start:end] * fade_out + audio[:k] * fade_in
        out[end : end + len(audio) - k] = audio[k:]
        end += len(audio) - k
    return out[:n]


def _fade(n: int, sample_rate: int) -> np.ndarray:
    gain = np.ones(n, dtype=np.float32)
    k_in = max(1, min(n // 4, round(FADE_IN_SECONDS * sample_rate)))
    k_out = max(1, min(n // 4, round(FADE_OUT_SECONDS * sample_rate)))
    gain[:k_in] *= np.linspace(0.0, 1.0, k_in, dtype=np.float32)
    gain[n - k_out :] *= np.linspace(1.0, 0.0, k_out, dtype=np.float32)
    return gain


def fit_bed(
    audio: np.ndarray,
    seconds: float,
    out_wav: Path,
    sample_rate: int = SAMPLE_RATE,
    crossfade_seconds: float = CROSSFADE_SECONDS,
) -> float:
    """Loop/trim `audio` to exactly `seconds`, fade, normalise and write it; the duration."""
    if not (math.isfinite(seconds) and 0 < seconds <= _MAX_SECONDS):
        raise ValueError(f"seconds must be in (0, {_MAX_SECONDS}], got {seconds}")
    n = round(seconds * sample_rate)
    bed = loop_to_length(np.asarray(audio, np.float32), n, round(crossfade_seconds * sample_rate))
    bed *= _fade(n, sample_rate)[:, None]
    bed = loudness.normalise(bed, sample_rate, TARGET_LUFS, CEILING_DBTP)
    wavio.write_wav(out_wav, bed, sample_rate)
    return n / sample_rate
