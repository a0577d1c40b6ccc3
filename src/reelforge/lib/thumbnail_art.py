"""Thumbnail composition: a video frame cover-cropped to a platform size, with the title on it.

Pure Pillow/numpy, no I/O. The title uses the artist's fonts (per-character fallback, so CJK,
Arabic and emoji titles draw instead of raising) and is auto-fitted and wrapped into a box;
a soft dark gradient behind the box and an outline plus drop shadow keep it readable on any
frame, bright or dark.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageEnhance, ImageFilter, ImageOps

from reelforge.lib.art.fonts import fit
from reelforge.lib.artist import clean_title, text_masks

LANDSCAPE = (1280, 720)  # YouTube custom thumbnail (16:9, the recommended size)
PORTRAIT = (1080, 1920)  # Shorts / Reels / TikTok cover (9:16)
THUMBNAIL_SIZES: dict[str, tuple[int, int]] = {"landscape": LANDSCAPE, "portrait": PORTRAIT}

_INK = np.array((255, 255, 255), np.float32)
_EDGE = np.array((12, 10, 18), np.float32)


def cover_crop(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """Scale `image` to fill `size` exactly, cropping the overflow around the centre.

    Slightly above centre vertically: subjects in the artist's scenes sit near the middle and
    skies fill the top, so this keeps the subject when a portrait frame becomes landscape.
    """
    return ImageOps.fit(image.convert("RGB"), size, Image.Resampling.LANCZOS, centering=(0.5, 0.45))


def _title_box(width: int, height: int) -> tuple[float, float, float]:
    """(box width, box height, vertical centre of the text block) for a canvas size.

    Landscape: lower part of the frame, the usual place for a YouTube title. Portrait: the
    upper middle, because feeds lay the channel name and caption over the bottom third.
    """
    if width >= height:
        return width * 0.88, height * 0.40, height * 0.70
    return width * 0.86, height * 0.28, height * 0.36


def _gradient(height: int, centre: float, half_span: float, strength: float) -> np.ndarray:
    """Per-row darkening factor: strongest around `centre`, fading smoothly to nothing."""
    rows = np.arange(height, dtype=np.float32)
    distance = np.abs(rows - centre) / max(1.0, half_span)
    # Smoothstep falloff: no visible band edge, unlike a linear ramp.
    t = np.clip(1.0 - distance, 0.0, 1.0)
    return 1.0 - strength * (t * t * (3 - 2 * t))


def compose_thumbnail(frame: Image.Image, title: str, size: tuple[int, int]) -> Image.Image:
    """The frame cover-cropped to `size` with `title` set large, bold and outlined on it.

    An empty title (nothing visible after cleaning) gives the plain cropped frame.
    """
    width, height = size
    if width < 16 or height < 16:
        raise ValueError(f"thumbnail size must be at least 16x16, got {width}x{height}")
    base = cover_crop(frame, size)
    # Feeds show thumbnails small and next to bright competitors: a little extra colour and
    # contrast keeps a dark procedural scene from looking muddy.
    base = ImageEnhance.Contrast(ImageEnhance.Color(base).enhance(1.15)).enhance(1.06)
    text = clean_title(title)
    if not text:
        return base

    box_w, box_h, centre = _title_box(width, height)
    start = max(12, int(min(width * 0.10, height * 0.15)))
    layout = fit(text, box_w, box_h, start, minimum=max(12, start // 3))
    block_h = layout.line_height * len(layout.lines)
    top = centre - block_h / 2
    if width >= height:  # keep a bottom margin however many lines the title needs
        top = min(top, height * 0.93 - block_h)

    px = np.asarray(base, dtype=np.float32)
    shade = _gradient(height, top + block_h / 2, block_h / 2 + height * 0.18, 0.62)
    px = px * shade[:, None, None]

    stroke = max(2, layout.fonts.size // 12)
    fill, outline = text_masks(
        layout.lines, layout.fonts, (width, height), top, layout.line_height, stroke
    )
    # Soft drop shadow, blurred at quarter size (cheaper, and softer once scaled back up).
    small = outline.resize((max(1, width // 4), max(1, height // 4)), Image.Resampling.BILINEAR)
    small = small.filter(ImageFilter.GaussianBlur(max(1.0, layout.fonts.size / 20)))
    shadow = np.asarray(small.resize((width, height), Image.Resampling.BILINEAR), np.float32)
    offset = max(1, layout.fonts.size // 14)
    sh = np.zeros((height, width), dtype=np.float32)
    sh[offset:, offset:] = shadow[: height - offset, : width - offset] / 255.0
    px = px * (1 - 0.8 * sh[..., None])

    a_out = np.asarray(outline, np.float32)[..., None] / 255.0
    a_fill = np.asarray(fill, np.float32)[..., None] / 255.0
    px = px * (1 - a_out) + _EDGE * a_out
    px = px * (1 - a_fill) + _INK * a_fill
    return Image.fromarray(np.clip(px, 0, 255).astype(np.uint8), "RGB")
