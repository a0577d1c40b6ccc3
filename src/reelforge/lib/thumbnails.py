"""Video thumbnails: a representative frame grabbed with ffmpeg, titled, written as JPEGs."""

from __future__ import annotations

import io
import subprocess  # nosec B404 # subprocess runs fixed local tools with argument lists, never a shell
from collections.abc import Mapping, Sequence
from pathlib import Path

from PIL import Image

from reelforge.lib.atomic import atomic_path
from reelforge.lib.thumbnail_art import THUMBNAIL_SIZES, compose_thumbnail

# YouTube rejects custom thumbnails over 2 MB; the other platforms take less than that too.
MAX_JPEG_BYTES = 2_000_000
# Phrases hold the screen across pauses up to about this long (lib.captions.group_phrases),
# so shorter gaps between cues are not really free of burned-in captions.
_CAPTION_HOLD_S = 0.6


class ThumbnailError(RuntimeError):
    """ffmpeg could not extract a frame."""


def frame_at(video: Path, at_seconds: float) -> Image.Image:
    """The decoded frame at `at_seconds`, full size, as an RGB image (lossless PNG pipe)."""
    cmd = [
        "ffmpeg", "-nostdin", "-v", "error", "-ss", f"{max(0.0, at_seconds):.3f}",
        "-i", str(video), "-frames:v", "1", "-f", "image2pipe", "-c:v", "png", "-",
    ]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, check=False)  # nosec B603 # argument list to ffmpeg; the video path is one argument, no shell
    if proc.returncode != 0 or not proc.stdout:
        err = proc.stderr.decode("utf-8", "replace")[-500:]
        raise ThumbnailError(f"ffmpeg could not grab a frame of {video} at {at_seconds}s: {err}")
    with Image.open(io.BytesIO(proc.stdout)) as image:
        return image.convert("RGB")


def caption_free_moment(
    duration: float,
    cues: Sequence[tuple[float, float]],
    not_before: float = 0.0,
    min_gap: float = 0.5,
) -> float:
    """A moment to take the thumbnail frame from: the middle of the longest stretch after
    `not_before` with no burned-in caption, else a third of the way into the video.

    Burned captions under a thumbnail's own title look cluttered, and the first scene (the
    title card) already carries the title, hence `not_before`.
    """
    duration = max(0.0, duration)
    fallback = max(not_before, duration / 3) if not_before < duration else duration / 3
    spans = sorted((s, e + _CAPTION_HOLD_S) for s, e in cues if e > s)
    best_len, best_mid = 0.0, fallback
    cursor = max(0.0, not_before)
    for start, end in [*spans, (duration, duration)]:
        gap_end = min(start, duration)
        if gap_end - cursor > best_len:
            best_len, best_mid = gap_end - cursor, (cursor + gap_end) / 2
        cursor = max(cursor, end)
    chosen = best_mid if best_len >= min_gap else fallback
    # Never the very last frame: seeking there can return nothing.
    return min(max(0.0, chosen), max(0.0, duration - 0.05))


def write_jpeg(
    image: Image.Image, path: Path, quality: int = 90, scratch: Path | None = None
) -> int:
    """Write `image` as a progressive JPEG atomically (temporary in `scratch` if given),
    lowering quality to stay under 2 MB.

    Returns the file size in bytes.
    """
    data = b""
    for q in range(quality, 39, -10):
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, format="JPEG", quality=q, optimize=True, progressive=True)
        data = buffer.getvalue()
        if len(data) <= MAX_JPEG_BYTES:
            break
    with atomic_path(path, scratch=scratch) as tmp:
        tmp.write_bytes(data)
    return len(data)


def make_thumbnails(
    video: Path,
    title: str,
    at_seconds: float,
    targets: Mapping[str, Path],
    scratch: Path | None = None,
) -> dict[str, Path]:
    """Grab one frame of `video` and write a titled JPEG per target ("landscape", "portrait").

    The frame is decoded once and composed for every size.
    """
    unknown = set(targets) - set(THUMBNAIL_SIZES)
    if unknown:
        raise ValueError(f"unknown thumbnail kinds {sorted(unknown)}; use {list(THUMBNAIL_SIZES)}")
    frame = frame_at(video, at_seconds)
    for kind, path in targets.items():
        write_jpeg(compose_thumbnail(frame, title, THUMBNAIL_SIZES[kind]), path, scratch=scratch)
    return dict(targets)
