"""Loudness per ITU-R BS.1770 / EBU R128: measure files with ffmpeg, meter and normalise arrays.

`measure` is the reference (ffmpeg's loudnorm meter). The numpy meter implements the same
K-weighting and gating so audio can be normalised in memory before it is written.
"""

from __future__ import annotations

import json
import math
import subprocess  # nosec B404 # subprocess runs fixed local tools with argument lists, never a shell
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.ndimage import minimum_filter1d, uniform_filter1d
from scipy.signal import resample_poly, sosfilt

_ABSOLUTE_GATE_LUFS = -70.0
_RELATIVE_GATE_LU = -10.0
_OVERSAMPLE = 4
_CHUNK = 1 << 16
# The 4x polyphase filter reaches 10 input samples either side; 32 of context is plenty.
_CHUNK_CONTEXT = 32
_LIMITER_SMOOTH_S = 0.005


@dataclass(frozen=True)
class Loudness:
    integrated_lufs: float
    true_peak_dbtp: float
    lra: float


class LoudnessError(RuntimeError):
    """ffmpeg could not measure a file."""


def measure(path: Path) -> Loudness:
    """Integrated loudness, true peak and loudness range of an audio file, by ffmpeg loudnorm."""
    cmd = ["ffmpeg", "-nostdin", "-hide_banner", "-nostats", "-i", str(path)]
    cmd += ["-af", "loudnorm=print_format=json", "-f", "null", "-"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)  # nosec B603 # argument list to ffmpeg; file paths are passed as single arguments, no shell
    except FileNotFoundError as exc:
        raise LoudnessError("ffmpeg is not installed (needed to measure loudness)") from exc
    if proc.returncode != 0:
        raise LoudnessError(f"ffmpeg failed to measure {path}: {proc.stderr.strip()[-500:]}")
    # loudnorm prints one flat JSON object after all other log lines.
    start, end = proc.stderr.rfind("{"), proc.stderr.rfind("}")
    try:
        stats = json.loads(proc.stderr[start : end + 1]) if 0 <= start < end else None
        if not isinstance(stats, dict):
            raise ValueError("no JSON object")
        return Loudness(
            integrated_lufs=float(stats["input_i"]),
            true_peak_dbtp=float(stats["input_tp"]),
            lra=float(stats["input_lra"]),
        )
    except (ValueError, KeyError, TypeError) as exc:
        tail = proc.stderr.strip()[-500:]
        raise LoudnessError(f"unexpected ffmpeg loudnorm output for {path}: {tail}") from exc


def k_weighting(sample_rate: int) -> np.ndarray:
    """BS.1770 K-weighting (shelf, then high-pass) as second-order sections for any rate.

    The analogue prototypes (libebur128's derivation) reproduce the standard's 48 kHz
    coefficients exactly and stay correct at 22.05 or 44.1 kHz.
    """
    k = math.tan(math.pi * 1681.974450955533 / sample_rate)
    q = 0.7071752369554196
    vh = 10 ** (3.999843853973347 / 20)
    vb = vh**0.4996667741545416
    a0 = 1 + k / q + k * k
    shelf = [(vh + vb * k / q + k * k) / a0, 2 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0]
    shelf += [1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0]
    k = math.tan(math.pi * 38.13547087602444 / sample_rate)
    q = 0.5003270373238773
    a0 = 1 + k / q + k * k
    highpass = [1.0, -2.0, 1.0, 1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0]
    return np.array([shelf, highpass])


def integrated_lufs(samples: np.ndarray, sample_rate: int) -> float:
    """Gated integrated loudness (LUFS); -inf for silence. Channels weigh 1 (mono/stereo)."""
    audio = _as_frames(samples)
    weighted = sosfilt(k_weighting(sample_rate).astype(audio.dtype), audio, axis=0)
    # Filter in float32 (fast, ample precision); accumulate energy in float64.
    power = np.sum(weighted.astype(np.float64) ** 2, axis=1)
    block, hop = round(0.4 * sample_rate), round(0.1 * sample_rate)
    if len(power) < block:
        # Shorter than one gating block: meter the whole clip as a single block.
        energies = np.array([power.mean()])
    else:
        cumulative = np.concatenate(([0.0], np.cumsum(power)))
        starts = np.arange(0, len(power) - block + 1, hop)
        energies = (cumulative[starts + block] - cumulative[starts]) / block
    with np.errstate(divide="ignore"):
        levels = -0.691 + 10 * np.log10(energies)
    kept = energies[levels > _ABSOLUTE_GATE_LUFS]
    if kept.size == 0:
        return -math.inf
    relative_gate = -0.691 + 10 * math.log10(kept.mean()) + _RELATIVE_GATE_LU
    kept = energies[(levels > _ABSOLUTE_GATE_LUFS) & (levels > relative_gate)]
    return float(-0.691 + 10 * math.log10(kept.mean()))


def true_peak_dbtp(samples: np.ndarray, sample_rate: int) -> float:
    """Peak of the 4x oversampled signal in dBTP (sample_rate kept for a uniform signature)."""
    del sample_rate  # oversampling is relative, the rate does not change the estimate
    peak = float(_peak_envelope(_as_frames(samples)).max())
    return 20 * math.log10(peak) if peak > 0 else -math.inf


def normalise(
    samples: np.ndarray, sample_rate: int, target_lufs: float, ceiling_dbtp: float
) -> np.ndarray:
    """Gain `samples` to `target_lufs`, limiting true peaks to `ceiling_dbtp`; float32 out.

    When the peak ceiling needs gain reduction the limiter costs a little loudness, so the
    make-up gain is re-solved a few times until the meter agrees within 0.05 LU.
    """
    audio = np.asarray(samples, dtype=np.float32)
    current = integrated_lufs(audio, sample_rate)
    if not math.isfinite(current):
        raise ValueError("cannot loudness-normalise silent audio")
    envelope = _peak_envelope(_as_frames(audio))
    ceiling = 10 ** (ceiling_dbtp / 20)
    gain_db = target_lufs - current
    for _ in range(8):
        gain = 10 ** (gain_db / 20)
        limiting = _limiter_gain(envelope * gain, sample_rate, ceiling)
        if limiting is None:
            # Pure gain: the loudness moves by exactly gain_db, no need to re-meter.
            return audio * np.float32(gain)
        curve = (gain * limiting).astype(np.float32)
        out = audio * (curve if audio.ndim == 1 else curve[:, None])
        error = target_lufs - integrated_lufs(out, sample_rate)
        if abs(error) < 0.05:
            break
        gain_db += error
    return out


def _as_frames(samples: np.ndarray) -> np.ndarray:
    audio = np.asarray(samples, dtype=np.float32)
    if audio.ndim not in (1, 2) or audio.size == 0:
        raise ValueError(f"expected non-empty (n,) or (n, channels) audio, got {audio.shape}")
    return audio[:, None] if audio.ndim == 1 else audio


def _peak_envelope(frames: np.ndarray) -> np.ndarray:
    """Per input sample, the largest |value| of the 4x oversampled signal across channels.

    Done in chunks so an hour of stereo audio never needs a 4x copy in memory at once.
    """
    n = len(frames)
    envelope = np.empty(n)
    for start in range(0, n, _CHUNK):
        lo, hi = max(0, start - _CHUNK_CONTEXT), min(n, start + _CHUNK + _CHUNK_CONTEXT)
        up = resample_poly(frames[lo:hi], _OVERSAMPLE, 1, axis=0)
        columns = np.abs(up).reshape(hi - lo, _OVERSAMPLE * frames.shape[1])
        # A column-by-column maximum is several times faster than max(axis=1) on short rows.
        peaks = columns[:, 0].copy()
        for column in range(1, columns.shape[1]):
            np.maximum(peaks, columns[:, column], out=peaks)
        stop = min(n, start + _CHUNK)
        envelope[start:stop] = peaks[start - lo : stop - lo]
    return np.maximum(envelope, np.abs(frames).max(axis=1))


def _limiter_gain(envelope: np.ndarray, sample_rate: int, ceiling: float) -> np.ndarray | None:
    """Smooth gain curve keeping envelope * gain <= ceiling; None when no peak needs it.

    A minimum filter twice as wide as the moving average guarantees every sample's average
    only includes gains at least as strong as its own requirement, so no peak slips through.
    """
    required = np.minimum(1.0, ceiling / np.maximum(envelope, 1e-12))
    if required.min() >= 1.0:
        return None
    half = max(1, round(_LIMITER_SMOOTH_S * sample_rate))
    held = minimum_filter1d(required, size=4 * half + 1, mode="nearest")
    smooth = uniform_filter1d(held, size=2 * half + 1, mode="nearest")
    return np.minimum(smooth, required)
