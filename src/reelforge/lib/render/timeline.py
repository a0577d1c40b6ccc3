"""Frame arithmetic of a render: scene boundaries on the frame grid and per-scene camera moves.

Scene boundaries are rounded from the cumulative start times, never from the durations one by
one, so rounding errors cannot accumulate: the video has exactly round(total * fps) frames.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from reelforge.lib.models import Motion

# Ken Burns scale at the far end of a zoom, and the fixed scale of a pan (its travel margin).
ZOOM = 1.12
PAN_SCALE = 1.12


def fps_fraction(fps: float) -> Fraction:
    """The frame rate as an exact fraction; NTSC rates (29.97...) snap to n*1000/1001."""
    ntsc = Fraction(round(fps * 1.001) * 1000, 1001)
    if not float(fps).is_integer() and abs(float(ntsc) - fps) < 1e-4:
        return ntsc
    return Fraction(repr(float(fps))).limit_denominator(1_000_000)


def seconds(frames: int, fps: Fraction) -> str:
    """A frame position as an FFmpeg duration string (microsecond precision is plenty)."""
    return f"{float(frames / fps):.6f}"


def _round(x: float) -> int:
    return math.floor(x + 0.5)


@dataclass(frozen=True)
class Clip:
    """One scene's stream: `frames` long (its own frames plus the cross-fade hold), placed at
    `start_frame` on the timeline."""

    scene: int
    start_frame: int
    frames: int


@dataclass(frozen=True)
class Timeline:
    fps: Fraction
    total_frames: int
    hold_frames: int  # cross-fade length in frames; 0 means hard cuts
    clips: tuple[Clip, ...]

    @property
    def duration(self) -> float:
        return float(self.total_frames / self.fps)


def plan_timeline(durations: Sequence[float], fps: float, fade: float = 0.0) -> Timeline:
    """Place scenes on the frame grid; with a fade, scene k is held `fade` seconds longer
    while scene k+1 fades in on top of it (the contract's timeline)."""
    if not durations:
        raise ValueError("a timeline needs at least one scene")
    rate = fps_fraction(fps)
    starts = [0.0]
    for d in durations:
        starts.append(starts[-1] + d)
    bounds = [_round(s * float(rate)) for s in starts]
    bounds[-1] = max(bounds[-1], 1)  # even a sub-frame video shows one frame
    # A scene shorter than half a frame is never on screen; leaving it out keeps every
    # clip non-empty, which `loop` and `xfade` need.
    kept = [k for k in range(len(durations)) if bounds[k + 1] > bounds[k]]
    hold = _round(fade * float(rate)) if fade > 0 and len(kept) > 1 else 0
    # The fade is shorter than every scene but the first; rounding to frames can break that
    # by one frame, and a clip must not start fading out before it has finished fading in.
    hold = min([hold, *(bounds[k + 1] - bounds[k] for k in kept[1:])])
    clips = tuple(
        Clip(
            scene=k,
            start_frame=bounds[k],
            frames=bounds[k + 1] - bounds[k] + (hold if i < len(kept) - 1 else 0),
        )
        for i, k in enumerate(kept)
    )
    return Timeline(fps=rate, total_frames=bounds[-1], hold_frames=hold, clips=clips)


def _even(x: float) -> int:
    return 2 * _round(x / 2)


def source_size(motion: Motion, width: int, height: int) -> tuple[int, int]:
    """Size the still is scaled to (once) before it is looped: moves need a margin."""
    scale = {"none": 1.0, "zoom_in": ZOOM, "zoom_out": ZOOM}.get(motion, PAN_SCALE)
    return _even(width * scale), _even(height * scale)


def motion_filter(motion: Motion, frames: int, width: int, height: int) -> str:
    """Per-frame filters that move the camera over a looped still (empty for `none`).

    FFmpeg's zoompan rounds its crop window to whole source pixels and rescales every frame
    from a freshly built scaler, which makes slow moves wobble and costs a lot. Instead:
    - zoom: `scale` (eval=frame) to an even size proportional to the zoom factor, then a
      fixed-size centre `crop`; both sizes come from one expression, so the crop offset is
      exactly half the growth and the centre never wobbles, and every edge moves monotonically;
    - pan: a sliding `crop` over the pre-scaled still, which costs nothing per frame (crop
      only offsets plane pointers); `exact=1` lets it move one luma pixel at a time.
    Positions are whole pixels, so slow moves advance in 1-2 px steps but never jitter back.
    """
    if motion == "none":
        return ""
    last = max(frames - 1, 1)
    progress = f"n/{last}"  # `loop` emits exactly `frames` frames, so this ends at 1
    if motion in ("zoom_in", "zoom_out"):
        growth = round(ZOOM - 1, 6)
        z = f"(1+{growth}*{progress})" if motion == "zoom_in" else f"({ZOOM}-{growth}*{progress})"
        return (
            f"scale=w=2*round({width}*{z}/2):h=2*round({height}*{z}/2):eval=frame:flags=bicubic,"
            f"crop=w={width}:h={height}:x=round({width}*{z}/2)-{width // 2}"
            f":y=round({height}*{z}/2)-{height // 2}:exact=1"
        )
    src_w, src_h = source_size(motion, width, height)
    travel = src_w - width
    x = f"round({travel}*{progress})" if motion == "pan_left" else f"round({travel}*(1-{progress}))"
    return f"crop=w={width}:h={height}:x={x}:y={(src_h - height) // 2}:exact=1"
