"""Measure a rendered video for QC: ffprobe facts plus one decoding pass of ffmpeg.

The pass runs blackdetect on the picture and loudnorm's EBU R128 meter on the sound
together, so a video is decoded once however many checks read the numbers.
"""

from __future__ import annotations

import json
import math
import re
import struct
import subprocess  # nosec B404 # subprocess runs fixed local tools with argument lists, never a shell
from dataclasses import dataclass
from pathlib import Path

from reelforge.lib.render.probe import VideoInfo, probe, video_info

# A pixel is "black" at or below 5 % of the luma range (Y <= 27 of 16..235). Calibrated on
# this project's renders: the darkest procedural scenes (a moonlit mountain night, a forest
# under a purple night sky) have up to 85 % of their pixels that dark, and at 10 % they reach
# 99.6 %, which the classic pix_th=0.10 would flag as black for whole scenes.
BLACK_PIXEL_THRESHOLD = 0.05
# A frame is black when 98 % of its pixels are (ffmpeg's default): captions or a few stars
# on a black frame must not hide a broken render.
BLACK_PICTURE_RATIO = 0.98
BLACK_MIN_SECONDS = 1.0

_BLACK_RE = re.compile(r"black_start:\s*([\d.]+)\s+black_end:\s*([\d.]+)")
_LOUDNORM_RE = re.compile(r"\{[^{}]*\"input_i\"[^{}]*\}")


class MeasureError(RuntimeError):
    """ffmpeg or ffprobe could not read the file."""


@dataclass(frozen=True)
class VideoFacts:
    """Everything the QC verdicts need to know about one output file."""

    info: VideoInfo
    container: str  # ffprobe's format_name, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
    brand: str | None  # the MP4 major brand (isom, mp42, ...), None for other containers
    moov_first: bool  # index before the media data: playback/processing can start at once
    integrated_lufs: float | None  # None without an audio stream; -inf for silence
    true_peak_dbtp: float | None
    black: tuple[tuple[float, float], ...]  # (start, end) of black stretches


def moov_before_mdat(path: Path) -> bool:
    """Whether the top-level `moov` box precedes `mdat` (an MP4 "fast start" file)."""
    with open(path, "rb") as fh:
        offset = 0
        while header := fh.read(8):
            if len(header) < 8:
                return False
            size, kind = struct.unpack(">I4s", header)
            if kind in (b"moov", b"mdat"):
                return kind == b"moov"
            if size == 1:  # 64-bit size follows the type
                size = struct.unpack(">Q", fh.read(8))[0]
            elif size == 0:  # box runs to the end of the file
                return False
            if size < 8:
                return False  # corrupt: avoid looping forever
            offset += size
            fh.seek(offset)
    return False


def _number(text: object) -> float:
    value = float(str(text))  # loudnorm prints "-inf" for digital silence
    return value if not math.isnan(value) else -math.inf


def measure_video(
    path: Path,
    black_min_seconds: float = BLACK_MIN_SECONDS,
    pixel_threshold: float = BLACK_PIXEL_THRESHOLD,
    picture_ratio: float = BLACK_PICTURE_RATIO,
) -> VideoFacts:
    """Probe `path` and decode it once for black stretches and loudness (true peak included)."""
    path = Path(path)
    data = probe(path)
    info = video_info(path)
    fmt = data.get("format", {})
    black = (
        f"[0:v:0]blackdetect=d={black_min_seconds}:pix_th={pixel_threshold}"
        f":pic_th={picture_ratio}[v]"
    )
    graph = black + (";[0:a:0]loudnorm=print_format=json[a]" if info.has_audio else "")
    cmd = ["ffmpeg", "-nostdin", "-hide_banner", "-nostats", "-i", str(path)]
    cmd += ["-filter_complex", graph, "-map", "[v]"]
    cmd += ["-map", "[a]"] if info.has_audio else []
    cmd += ["-f", "null", "-"]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)  # nosec B603 # argument list to ffmpeg; file paths are passed as single arguments, no shell
    if proc.returncode != 0:
        raise MeasureError(f"ffmpeg could not decode {path}: {proc.stderr.strip()[-1500:]}")
    lufs = peak = None
    if info.has_audio:
        blocks = _LOUDNORM_RE.findall(proc.stderr)
        if not blocks:
            raise MeasureError(f"no loudness measurement for {path}: {proc.stderr[-1500:]}")
        stats = json.loads(blocks[-1])
        lufs, peak = _number(stats["input_i"]), _number(stats["input_tp"])
    stretches = tuple((float(a), float(b)) for a, b in _BLACK_RE.findall(proc.stderr))
    return VideoFacts(
        info=info,
        container=str(fmt.get("format_name", "")),
        brand=(fmt.get("tags") or {}).get("major_brand"),
        moov_first=moov_before_mdat(path),
        integrated_lufs=lufs,
        true_peak_dbtp=peak,
        black=stretches,
    )
