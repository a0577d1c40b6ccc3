"""Joining the scenes' clip streams into one: cuts by `concat`, cross-fades by `xfade`.

With a fade, clip k is `hold` frames longer than its slot and its tail lies under the start of
clip k+1. Each clip is cut into fade-in / solo / fade-out pieces (`split` and `trim` pass
frames by reference, so the cut costs nothing); only the overlapping pieces meet in an xfade,
and the pieces are concatenated in timeline order.

Why xfade and not a yuv420p blend: FFmpeg's two-input blenders (blend, maskedmerge, overlay)
are built on framesync, which pulls its inputs as soon as it is activated, so every fade-out
piece would be rendered early and the solo frames before it queued in memory (gigabytes at
1080p). xfade pulls only when its output is wanted. Its price is memory that does not grow
with the video's length: each transition keeps about 3.5 frames of pooled buffers (~20 MB at
1080x1920) until the render ends.
"""

from __future__ import annotations

from reelforge.lib.render.timeline import Timeline, seconds


def _concat(labels: list[str], out: str) -> str:
    if len(labels) == 1:
        return f"{labels[0]}null{out}"
    return f"{''.join(labels)}concat=n={len(labels)}:v=1:a=0{out}"


def _cross_faded(timeline: Timeline) -> list[str]:
    """Cut every clip into fade-in / solo / fade-out pieces and `xfade` only the overlaps.

    xfade cannot work in yuv420p (FFmpeg 5 converts its inputs to yuv444p and back); fed
    whole clips it converted every frame of the video twice, a third of the render's CPU.
    Here it sees only the 2 x hold frames of each transition; everything else is concatenated
    untouched. The explicit `scale` before xfade matters: format negotiation would otherwise
    carry xfade's yuv444p up through trim and split, converting whole clips again. Piece
    boundaries are frame indices of each clip (`setpts=N` numbers them).
    """
    hold, count = timeline.hold_frames, len(timeline.clips)
    fade = seconds(hold, timeline.fps)
    to_444 = "scale,format=yuv444p"
    chains: list[str] = []
    order: list[str] = []
    for i, clip in enumerate(timeline.clips):
        first = hold if i > 0 else 0  # frames [0, hold) fade in over the previous clip
        last = clip.frames - hold if i < count - 1 else clip.frames  # [last, end) fade out
        pieces = []
        if i > 0:
            pieces.append((f"[in{i}]", f"trim=end_frame={hold},{to_444}"))
        if last > first:
            pieces.append((f"[solo{i}]", f"trim=start_frame={first}:end_frame={last}"))
        if i < count - 1:
            pieces.append((f"[out{i}]", f"trim=start_frame={last},{to_444}"))
        taps = "".join(f"[p{i}_{k}]" for k in range(len(pieces)))
        chains.append(f"[c{i}]" + (f"split={len(pieces)}" if len(pieces) > 1 else "null") + taps)
        for k, (label, trim) in enumerate(pieces):
            chains.append(f"[p{i}_{k}]{trim},setpts=PTS-STARTPTS{label}")
        if i > 0:
            chains.append(
                f"[out{i - 1}][in{i}]xfade=transition=fade:duration={fade}:offset=0,"
                f"scale,format=yuv420p[fade{i}]"
            )
            order.append(f"[fade{i}]")
        if last > first:
            order.append(f"[solo{i}]")
    return [*chains, _concat(order, "[joined]")]


def join_clips(timeline: Timeline) -> list[str]:
    """Chains joining the clip streams [c0]..[cN-1] into [joined], on the contract's timeline."""
    if len(timeline.clips) > 1 and timeline.hold_frames > 0:
        return _cross_faded(timeline)
    return [_concat([f"[c{i}]" for i in range(len(timeline.clips))], "[joined]")]
