"""From an episode's parts to a render manifest: the timeline of the video.

Contract v1 (stills only), or v2 when a scene is a video clip (v2 = v1 + `scenes[].clip`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reelforge.lib.models import Motion, Span, Word

FADE_SECONDS = 0.4


def scene_durations(segments: Sequence[Span], tail: float) -> list[float]:
    """One duration per narration segment; the last is held `tail` seconds after the voice."""
    durations = [round(s.end - s.start, 3) for s in segments]
    durations[-1] = round(durations[-1] + tail, 3)
    return durations


def fade_for(durations: Sequence[float], wanted: float = FADE_SECONDS) -> float:
    """A crossfade the contract allows: shorter than every scene but the first."""
    shortest = min(durations[1:], default=wanted * 4)
    return round(min(wanted, shortest / 3), 3)


def build_manifest(
    *,
    width: int,
    height: int,
    fps: float,
    output: str,
    images: Sequence[str],
    motions: Sequence[Motion],
    durations: Sequence[float],
    narration: str | None,
    music: str | None,
    music_gain_db: float,
    words: Sequence[Word],
    integrated_lufs: float,
    clips: Sequence[str | None] | None = None,
) -> dict[str, Any]:
    """The manifest dict; `clips[i]`, when given and not None, replaces scene i's still."""
    clips = list(clips) if clips is not None else [None] * len(images)
    if not len(images) == len(motions) == len(durations) == len(clips):
        raise ValueError("images, motions, durations and clips must have one entry per scene")
    fade = fade_for(durations)
    scenes: list[dict[str, Any]] = [
        {"image": img, "duration": dur, "motion": mot}
        for img, dur, mot in zip(images, durations, motions, strict=True)
    ]
    for scene, clip in zip(scenes, clips, strict=True):
        if clip is not None:
            scene["clip"] = clip
    manifest: dict[str, Any] = {
        # Stills only stays version 1, so every existing reader keeps working.
        "version": 2 if any(c is not None for c in clips) else 1,
        "output": {"width": width, "height": height, "fps": fps, "path": output},
        "scenes": scenes,
        "transition": {"kind": "fade" if fade > 0 else "none", "duration": fade},
        "captions": [
            {"text": w.text, "start": round(w.start, 3), "end": round(w.end, 3)}
            for w in words
            if w.text.strip() and w.end > w.start
        ],
        "loudness": {"integrated_lufs": integrated_lufs},
    }
    if narration:
        manifest["narration"] = narration
    if music:
        manifest["music"] = {"path": music, "gain_db": music_gain_db, "duck": True}
    return manifest
