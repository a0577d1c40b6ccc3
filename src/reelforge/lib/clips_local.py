"""The offline motion clip: a Ken Burns move over a still, as an H.264 MP4 of exact length.

The camera move is the renderer's own (`render.timeline.motion_filter`: the same zoom and pan
speeds and margins), so an episode looks the same whether its scenes are stills moved by the
renderer or local clips. The clip has no audio track and exactly round(seconds × fps) frames.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

from reelforge.lib import atomic
from reelforge.lib.models import Motion
from reelforge.lib.render.graph import image_demuxer, input_url
from reelforge.lib.render.process import run_ffmpeg
from reelforge.lib.render.timeline import fps_fraction, motion_filter, source_size

LOCAL_MODEL = "kenburns-v1"


def frame_count(seconds: float, fps: float) -> int:
    """Frames of a clip lasting `seconds` (at least one)."""
    # Half up, as the renderer rounds its frame grid (round() would round half to even).
    return max(1, math.floor(seconds * float(fps_fraction(fps)) + 0.5))


def ken_burns_graph(motion: Motion, frames: int, width: int, height: int, fps: float) -> str:
    """Filter chain: cover-scale the still once (with the move's margin), loop it, move."""
    src_w, src_h = source_size(motion, width, height)
    rate = fps_fraction(fps)
    steps = [
        "trim=end_frame=1",
        f"scale={src_w}:{src_h}:force_original_aspect_ratio=increase:flags=lanczos"
        ":out_color_matrix=bt709:out_range=tv",
        f"crop={src_w}:{src_h}",
        "setsar=1",
        "format=yuv420p",
        f"loop=loop={frames - 1}:size=1:start=0",
        f"settb=expr={rate.denominator}/{rate.numerator}",
        "setpts=N",
        motion_filter(motion, frames, width, height),
        "setsar=1",
        "setparams=colorspace=bt709:color_primaries=bt709:color_trc=bt709:range=tv",
        "format=yuv420p",
    ]
    return ",".join(s for s in steps if s)


def ken_burns_clip(
    still: Path,
    out: Path,
    *,
    motion: Motion,
    seconds: float,
    width: int,
    height: int,
    fps: float = 30,
    preset: str = "veryfast",
    crf: int = 20,
) -> Path:
    """Write the clip to `out` (atomically) and return it."""
    if width % 2 or height % 2:
        raise ValueError(f"H.264 in yuv420p needs an even size, got {width}x{height}")
    frames = frame_count(seconds, fps)
    rate = fps_fraction(fps)
    out = Path(out)
    with (
        tempfile.TemporaryDirectory(prefix=".kenburns-", dir=out.parent) as tmp,
        atomic.atomic_path(out, ".mp4") as partial,
    ):
        demuxer = image_demuxer(Path(still))
        args = [
            *(["-f", demuxer] if demuxer else []),
            "-r", f"{rate.numerator}/{rate.denominator}", "-i", input_url(Path(still)),
            "-vf", ken_burns_graph(motion, frames, width, height, fps),
            "-frames:v", str(frames), "-an",
            "-c:v", "libx264", "-preset", preset, "-crf", str(crf), "-pix_fmt", "yuv420p",
            "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709",
            "-color_range", "tv", "-movflags", "+faststart",
            "-f", "mp4", input_url(partial),
        ]  # fmt: skip
        run_ffmpeg(args, log_path=Path(tmp) / "ffmpeg.log", what="Ken Burns clip")
    return out
