"""What a media file actually contains, according to ffprobe."""

from __future__ import annotations

import json
import subprocess  # nosec B404 # subprocess runs fixed local tools with argument lists, never a shell
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from reelforge.lib.render.graph import input_url
from reelforge.lib.render.process import RenderError

FFPROBE = "ffprobe"


def probe(path: Path) -> dict[str, Any]:
    """ffprobe's JSON description of a file: {"format": {...}, "streams": [...]}."""
    command = [
        FFPROBE, "-v", "error", "-print_format", "json", "-show_format", "-show_streams",
        input_url(Path(path)),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # nosec B603 # argument list to ffprobe; the path is one argument, no shell
    if done.returncode != 0:
        raise RenderError(f"ffprobe cannot read {path}: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout)


@dataclass(frozen=True)
class VideoInfo:
    video_codec: str
    width: int
    height: int
    fps: float
    duration: float  # of the video stream (the container's if the stream does not say)
    frames: int | None
    pix_fmt: str | None
    has_audio: bool
    audio_codec: str | None
    sample_rate: int | None
    audio_channels: int | None
    audio_duration: float | None


def _rate(text: str | None) -> float:
    try:
        value = Fraction(text or "0/1")
    except (ValueError, ZeroDivisionError):
        return 0.0
    return float(value)


def _float(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def video_info(path: Path) -> VideoInfo:
    """The first video and audio streams of a file, as plain values."""
    data = probe(path)
    streams = data.get("streams", [])
    video = next((s for s in streams if s.get("codec_type") == "video"), None)
    audio = next((s for s in streams if s.get("codec_type") == "audio"), None)
    if video is None:
        raise RenderError(f"{path} has no video stream")
    container_duration = _float(data.get("format", {}).get("duration")) or 0.0
    frames = video.get("nb_frames")
    return VideoInfo(
        video_codec=video.get("codec_name", ""),
        width=int(video.get("width", 0)),
        height=int(video.get("height", 0)),
        fps=_rate(video.get("avg_frame_rate")) or _rate(video.get("r_frame_rate")),
        duration=_float(video.get("duration")) or container_duration,
        frames=int(frames) if str(frames).isdigit() else None,
        pix_fmt=video.get("pix_fmt"),
        has_audio=audio is not None,
        audio_codec=None if audio is None else audio.get("codec_name"),
        sample_rate=None if audio is None else int(audio.get("sample_rate", 0)),
        audio_channels=None if audio is None else int(audio.get("channels", 0)),
        audio_duration=None if audio is None else _float(audio.get("duration")),
    )
