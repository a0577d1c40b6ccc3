"""Preview renders: the same manifest at a small size, for a quick review before the real one."""

from __future__ import annotations

import dataclasses
import posixpath

from reelforge.lib.render.manifest import Manifest

PREVIEW_SHORT_SIDE = 480


def _even(x: float) -> int:
    return max(2, 2 * round(x / 2))


def preview_size(width: int, height: int, short_side: int = PREVIEW_SHORT_SIDE) -> tuple[int, int]:
    """`width` x `height` scaled so the short side is `short_side` (never enlarged), both
    sides even as yuv420p requires; the aspect ratio is kept to within a pixel."""
    scale = min(1.0, short_side / min(width, height))
    if scale == 1.0:
        return width, height
    return _even(width * scale), _even(height * scale)


def preview_path(path: str) -> str:
    """`dir/name.mp4` -> `dir/name.preview.mp4`, so a preview never replaces the real video."""
    stem, ext = posixpath.splitext(path)
    return f"{stem}.preview{ext}"


def preview_manifest(manifest: Manifest, short_side: int = PREVIEW_SHORT_SIDE) -> Manifest:
    """The manifest rendered small: output scaled (short side `short_side` px), written next
    to the real output as `*.preview.*`. Motion, fades and timing are unchanged, and captions
    scale with the frame because the ASS script's PlayRes follows the output size."""
    out = manifest.output
    width, height = preview_size(out.width, out.height, short_side)
    small = dataclasses.replace(out, width=width, height=height, path=preview_path(out.path))
    return dataclasses.replace(manifest, output=small)
