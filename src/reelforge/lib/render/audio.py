"""The soundtrack of a render: narration and looped music mixed, then loudness-normalised.

Audio is done before the video, in a cheap audio-only pass: mix to a float WAV while metering
it (EBU R128 with true peak, FFmpeg's `ebur128`: a quarter of `loudnorm`'s cost). Gain is
linear, so the gain that reaches the target is exact and, unless it would push the true peak
over the ceiling, it is simply applied in the video pass: no second audio pass. Only then does
a limiter run (on 4x oversampled audio, so it catches inter-sample peaks); limiting lowers
loudness a little, so the result is measured again and the gain corrected until it is within
tolerance.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from reelforge.lib.render.graph import SAMPLE_RATE, input_url
from reelforge.lib.render.manifest import Manifest
from reelforge.lib.render.process import RenderError, log_tail, run_ffmpeg

LIMITER_CEILING = -2.0  # dBFS at 192 kHz; the margin absorbs resampling and AAC overshoot
TOLERANCE_LU = 0.25
MAX_ATTEMPTS = 5
FADE_OUT_SECONDS = 1.0
SILENCE_LUFS = -70.0  # loudnorm reports this (or -inf) for digital silence
_FORMAT = f"aresample={SAMPLE_RATE},aformat=sample_fmts=fltp:channel_layouts=stereo"


@dataclass(frozen=True)
class Loudness:
    integrated: float  # LUFS
    true_peak: float  # dBTP


@dataclass(frozen=True)
class Soundtrack:
    """A WAV of exactly the video's length, and the gain (dB) the video pass applies to it."""

    wav: Path
    gain_db: float = 0.0


_SUMMARY_VALUE = r"{}:\s+(-?[\d.]+|-inf)\s"


def parse_ebur128(log: str) -> Loudness:
    """Integrated loudness and true peak from the summary `ebur128` logs at the end of a run."""
    at = log.rfind("Summary:")
    found = [re.search(_SUMMARY_VALUE.format(k), log[at:]) for k in ("I", "Peak")]
    if at < 0 or found[0] is None or found[1] is None:
        raise RenderError(f"no loudness measurement in FFmpeg's output:\n{log[-2000:]}")
    return Loudness(float(found[0].group(1)), float(found[1].group(1)))


def mix_inputs_and_graph(manifest: Manifest, samples: int) -> tuple[list[str], str]:
    """Input arguments and a graph ending in [mix]: exactly `samples` stereo samples."""
    inputs: list[str] = []
    chains: list[str] = []
    if manifest.narration is not None:
        inputs += ["-i", input_url(manifest.resolve(manifest.narration))]
        # Narration starts at 0 and is padded with silence or cut to the video's length.
        chains.append(
            f"[0:a]{_FORMAT},asetpts=PTS-STARTPTS,apad=whole_len={samples},"
            f"atrim=end_sample={samples}[narr]"
        )
    music = manifest.music
    if music is not None:
        index = len(inputs) // 2
        inputs += ["-stream_loop", "-1", "-i", input_url(manifest.resolve(music.path))]
        fade = min(samples, round(FADE_OUT_SECONDS * SAMPLE_RATE))
        chains.append(
            f"[{index}:a]{_FORMAT},asetpts=PTS-STARTPTS,atrim=end_sample={samples},"
            f"apad=whole_len={samples},volume={music.gain_db:.4f}dB,"
            f"afade=t=out:start_sample={samples - fade}:nb_samples={fade}[mus]"
        )
    if manifest.narration is not None and music is not None:
        if music.duck:
            # The narration keys a compressor on the music: it dips while someone speaks.
            chains += [
                "[narr]asplit=2[voice][key]",
                "[mus][key]sidechaincompress=threshold=0.03:ratio=8:attack=20:release=400[bed]",
            ]
        else:
            chains.append("[narr]anull[voice];[mus]anull[bed]")
        chains.append("[voice][bed]amix=inputs=2:normalize=0:duration=first[mix]")
    else:
        chains.append(f"[{'narr' if manifest.narration is not None else 'mus'}]anull[mix]")
    return inputs, ";".join(chains)


def _measure_and_write(inputs: list[str], graph: str, wav: Path, log: Path, what: str) -> Loudness:
    """Run `graph` (ending in [mix]) once: write it to `wav` and meter it on the way."""
    # framelog=verbose keeps the ten-per-second meter lines out of the log; the summary stays.
    full = f"{graph};[mix]ebur128=peak=true:framelog=verbose[metered]"
    args = [
        *inputs, "-filter_complex", full,
        "-map", "[metered]", "-c:a", "pcm_f32le", "-f", "wav", input_url(wav),
    ]  # fmt: skip
    run_ffmpeg(args, log_path=log, what=what)
    return parse_ebur128(log_tail(log, 4000))


def _is_silent(level: Loudness) -> bool:
    return not math.isfinite(level.integrated) or level.integrated <= SILENCE_LUFS


def master_filter(gain_db: float, limit: bool, samples: int) -> str:
    """Gain (and, if needed, an oversampled peak limiter), pinned to `samples` samples."""
    steps = [f"volume={gain_db:.3f}dB"]
    if limit:
        ceiling = 10 ** (LIMITER_CEILING / 20)
        steps += [
            f"aresample={4 * SAMPLE_RATE}",
            f"alimiter=limit={ceiling:.5f}:attack=5:release=60:level=0:latency=1",
            f"aresample={SAMPLE_RATE}",
        ]
    steps += [f"atrim=end_sample={samples}", f"apad=whole_len={samples}"]
    return ",".join(steps)


def render_soundtrack(manifest: Manifest, duration: float, work: Path) -> Soundtrack | None:
    """Mix the manifest's audio to a WAV of exactly `duration` seconds and find the gain that
    normalises it (None when there is neither narration nor music)."""
    if manifest.narration is None and manifest.music is None:
        return None
    samples = round(duration * SAMPLE_RATE)
    target = manifest.integrated_lufs
    inputs, graph = mix_inputs_and_graph(manifest, samples)
    mix = work / "mix.wav"
    level = _measure_and_write(inputs, graph, mix, work / "mix.log", "audio mix")
    if _is_silent(level):
        return Soundtrack(mix)  # nothing to normalise; gain on silence is meaningless
    gain = target - level.integrated
    if level.true_peak + gain <= LIMITER_CEILING:
        # Gain scales loudness and true peak exactly: the target is met with room to spare.
        return Soundtrack(mix, gain)
    master = work / "master.wav"
    tried: list[tuple[float, float]] = []
    for _ in range(MAX_ATTEMPTS):
        chain = f"[0:a]{master_filter(gain, True, samples)}[mix]"
        result = _measure_and_write(
            ["-i", input_url(mix)], chain, master, work / "master.log", "loudness pass"
        )
        if _is_silent(result) or abs(result.integrated - target) <= TOLERANCE_LU:
            break
        tried.append((gain, result.integrated))
        gain = _next_gain(tried, target)
    return Soundtrack(master)


def _next_gain(tried: list[tuple[float, float]], target: float) -> float:
    """Secant step on loudness(gain): under a limiter each dB of gain adds less than 1 LU."""
    gain, level = tried[-1]
    slope = 1.0
    if len(tried) > 1:
        (g0, l0), (g1, l1) = tried[-2], tried[-1]
        if g1 != g0:
            slope = min(1.0, max(0.1, (l1 - l0) / (g1 - g0)))
    return gain + max(-12.0, min(12.0, (target - level) / slope))
