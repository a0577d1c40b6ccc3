"""Quality control of a rendered video: plain values in, a verdict with a reason out.

Each verdict says passed or failed, why in one human sentence, and the numbers it judged,
so an operator can tell from the check alone what to fix. Measuring lives in `qc_measure`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reelforge.lib.platform_limits import PlatformLimits
from reelforge.lib.qc_measure import VideoFacts
from reelforge.lib.render.probe import VideoInfo

Number = float | int | str
LOUDNESS_TOLERANCE_LU = 1.0
TRUE_PEAK_CEILING_DBTP = -1.0
AV_TOLERANCE_S = 0.1
FPS_TOLERANCE = 0.01
MP4_BRANDS = frozenset({"isom", "iso2", "iso4", "iso5", "iso6", "mp41", "mp42", "avc1", "dash"})


@dataclass(frozen=True)
class Verdict:
    passed: bool
    reason: str
    numbers: dict[str, Number] = field(default_factory=dict)


@dataclass(frozen=True)
class Expected:
    """What the render was asked for (from its manifest)."""

    width: int
    height: int
    fps: float
    cues: tuple[tuple[float, float], ...] = ()


def expected_from_manifest(manifest: Mapping[str, Any]) -> Expected:
    """Output size, frame rate and caption timings of a decoded render manifest (v1)."""
    out = manifest["output"]
    cues = tuple((float(c["start"]), float(c["end"])) for c in manifest.get("captions", []))
    return Expected(int(out["width"]), int(out["height"]), float(out["fps"]), cues)


def _verdict(problems: list[str], ok: str, numbers: dict[str, Number]) -> Verdict:
    return Verdict(not problems, "; ".join(problems) if problems else ok, numbers)


def spec_verdict(
    info: VideoInfo, container: str, brand: str | None, moov_first: bool, expected: Expected
) -> Verdict:
    """MP4 with H.264 + AAC in yuv420p, at exactly the size and frame rate rendered for."""
    problems = []
    if "mp4" not in container.split(",") or (brand is not None and brand not in MP4_BRANDS):
        problems.append(f"container is {container} (brand {brand}), expected mp4")
    elif not moov_first:
        problems.append("mp4 index (moov) is after the media data; platforms want fast start")
    if info.video_codec != "h264":
        problems.append(f"video codec is {info.video_codec}, expected h264")
    if info.pix_fmt != "yuv420p":
        problems.append(f"pixel format is {info.pix_fmt}, expected yuv420p")
    if not info.has_audio:
        problems.append("no audio stream, expected aac")
    elif info.audio_codec != "aac":
        problems.append(f"audio codec is {info.audio_codec}, expected aac")
    if (info.width, info.height) != (expected.width, expected.height):
        problems.append(
            f"size is {info.width}x{info.height}, expected {expected.width}x{expected.height}"
        )
    if abs(info.fps - expected.fps) > FPS_TOLERANCE:
        problems.append(f"frame rate is {info.fps:g} fps, expected {expected.fps:g}")
    numbers: dict[str, Number] = {
        "width": info.width, "height": info.height, "fps": round(info.fps, 3),
        "video_codec": info.video_codec, "audio_codec": info.audio_codec or "none",
        "pix_fmt": info.pix_fmt or "unknown",
    }  # fmt: skip
    ok = f"mp4 h264/aac yuv420p {info.width}x{info.height} at {info.fps:g} fps, as rendered for"
    return _verdict(problems, ok, numbers)


def platform_verdict(
    duration: float,
    fps: float,
    width: int,
    height: int,
    platforms: Sequence[str],
    limits: Mapping[str, PlatformLimits],
) -> Verdict:
    """Duration (and frame rate, smallest side) within the limits of every target platform."""
    problems = []
    for name in platforms:
        spec = limits.get(name)
        if spec is None:
            problems.append(f"{name}: no limits configured (add it to config/platforms.yaml)")
            continue
        if not spec.min_seconds <= duration <= spec.max_seconds:
            problems.append(
                f"{name}: {duration:.2f} s is outside {spec.min_seconds:g}-{spec.max_seconds:g} s"
            )
        if fps < spec.min_fps or (spec.max_fps is not None and fps > spec.max_fps):
            problems.append(f"{name}: {fps:g} fps is outside {spec.min_fps:g}-{spec.max_fps} fps")
        if min(width, height) < spec.min_short_side:
            problems.append(
                f"{name}: smallest side {min(width, height)} px is below {spec.min_short_side} px"
            )
    ok = f"{duration:.2f} s fits {', '.join(platforms)}"
    return _verdict(problems, ok, {"duration_s": round(duration, 3), "platforms": len(platforms)})


def av_sync_verdict(
    video_duration: float, audio_duration: float | None, tolerance: float = AV_TOLERANCE_S
) -> Verdict:
    """The audio stream lasts as long as the video stream (within `tolerance` seconds)."""
    if audio_duration is None:
        return Verdict(False, "no audio stream", {"video_s": round(video_duration, 3)})
    gap = audio_duration - video_duration
    numbers: dict[str, Number] = {
        "video_s": round(video_duration, 3), "audio_s": round(audio_duration, 3),
        "difference_s": round(gap, 3),
    }  # fmt: skip
    if abs(gap) > tolerance:
        longer = "audio" if gap > 0 else "video"
        return Verdict(
            False, f"{longer} is {abs(gap):.3f} s longer (tolerance {tolerance:g} s)", numbers
        )
    return Verdict(True, f"audio and video end within {abs(gap):.3f} s", numbers)


def loudness_verdict(
    integrated_lufs: float | None,
    true_peak_dbtp: float | None,
    target_lufs: float,
    tolerance_lu: float = LOUDNESS_TOLERANCE_LU,
    ceiling_dbtp: float = TRUE_PEAK_CEILING_DBTP,
) -> Verdict:
    """Integrated loudness within ±tolerance of the target; true peak at or under the ceiling."""
    if integrated_lufs is None or true_peak_dbtp is None:
        return Verdict(False, "no audio stream to measure", {"target_lufs": target_lufs})
    numbers: dict[str, Number] = {
        "integrated_lufs": round(integrated_lufs, 2) if math.isfinite(integrated_lufs) else -99.0,
        "true_peak_dbtp": round(true_peak_dbtp, 2) if math.isfinite(true_peak_dbtp) else -99.0,
        "target_lufs": target_lufs,
    }
    if not math.isfinite(integrated_lufs) or integrated_lufs <= -70:
        return Verdict(False, "audio is silent (no gated loudness above -70 LUFS)", numbers)
    problems = []
    if abs(integrated_lufs - target_lufs) > tolerance_lu:
        problems.append(
            f"loudness {integrated_lufs:.1f} LUFS is more than {tolerance_lu:g} LU "
            f"from the {target_lufs:g} LUFS target"
        )
    if true_peak_dbtp > ceiling_dbtp:
        problems.append(f"true peak {true_peak_dbtp:.1f} dBTP is over {ceiling_dbtp:g} dBTP")
    ok = f"{integrated_lufs:.1f} LUFS, true peak {true_peak_dbtp:.1f} dBTP"
    return _verdict(problems, ok, numbers)


def black_verdict(stretches: Sequence[tuple[float, float]], min_seconds: float = 1.0) -> Verdict:
    """No stretch of black picture of `min_seconds` or longer."""
    long = [(a, b) for a, b in stretches if b - a >= min_seconds]
    numbers: dict[str, Number] = {
        "black_stretches": len(long),
        "longest_black_s": round(max((b - a for a, b in long), default=0.0), 3),
    }
    if long:
        shown = ", ".join(f"{a:.2f}-{b:.2f} s" for a, b in long[:3])
        return Verdict(False, f"black picture for {min_seconds:g} s or more at {shown}", numbers)
    return Verdict(True, f"no black stretch of {min_seconds:g} s or more", numbers)


def caption_verdict(cues: Sequence[tuple[float, float]], duration: float, fps: float) -> Verdict:
    """Captions start in order, each ends after it starts, and the last ends within the video."""
    problems = []
    frame = 1.0 / fps if fps > 0 else 0.0
    for i, (start, end) in enumerate(cues):
        if start < 0:
            problems.append(f"caption {i} starts before the video ({start:.3f} s)")
        if end <= start:
            problems.append(f"caption {i} ends at {end:.3f} s, not after its start {start:.3f} s")
        if i and start < cues[i - 1][0]:
            problems.append(f"caption {i} starts at {start:.3f} s, before caption {i - 1}")
    last_end = max((e for _, e in cues), default=0.0)
    if last_end > duration + frame + 1e-6:
        problems.append(
            f"last caption ends at {last_end:.3f} s, after the video ({duration:.3f} s)"
        )
    numbers: dict[str, Number] = {
        "captions": len(cues), "last_end_s": round(last_end, 3), "duration_s": round(duration, 3),
    }  # fmt: skip
    shown = problems[:3] + ([f"and {len(problems) - 3} more"] if len(problems) > 3 else [])
    return _verdict(shown, f"{len(cues)} captions in order, all within the video", numbers)


def video_verdicts(
    facts: VideoFacts,
    expected: Expected,
    platforms: Sequence[str],
    limits: Mapping[str, PlatformLimits],
    target_lufs: float,
) -> dict[str, Verdict]:
    """Every QC verdict of one video, by check name."""
    info = facts.info
    return {
        "encoding_spec": spec_verdict(
            info, facts.container, facts.brand, facts.moov_first, expected
        ),
        "platform_limits": platform_verdict(
            info.duration, info.fps, info.width, info.height, platforms, limits
        ),
        "av_sync": av_sync_verdict(info.duration, info.audio_duration),
        "loudness": loudness_verdict(facts.integrated_lufs, facts.true_peak_dbtp, target_lufs),
        "no_black_stretch": black_verdict(facts.black),
        "caption_timing": caption_verdict(expected.cues, info.duration, expected.fps),
    }


CHECK_NAMES = (
    "encoding_spec", "platform_limits", "av_sync", "loudness", "no_black_stretch",
    "caption_timing",
)  # fmt: skip


def combine(per_video: Mapping[str, Verdict]) -> Verdict:
    """One verdict from several videos' (keyed by a label such as the aspect "9:16")."""
    if not per_video:
        return Verdict(False, "no videos to check")
    if len(per_video) == 1:
        return next(iter(per_video.values()))
    numbers = {f"{label} {k}": v for label, d in per_video.items() for k, v in d.numbers.items()}
    failed = [f"{label}: {d.reason}" for label, d in per_video.items() if not d.passed]
    if failed:
        return Verdict(False, " | ".join(failed), numbers)
    return Verdict(True, " | ".join(f"{k}: {d.reason}" for k, d in per_video.items()), numbers)
