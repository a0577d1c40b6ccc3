"""A float RGB canvas with the few numpy operations the motifs are built from.

Everything works on whole arrays or on the bounding box of a shape: per-pixel Python loops
would take minutes at 1080x1920. Shapes are drawn with Pillow into an 8-bit mask, softened
by one pixel (cheap anti-aliasing) and blended in only where the mask is non-empty.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from reelforge.lib.art.palettes import RGB

Colour = RGB | tuple[float, float, float] | np.ndarray


def mix(a: Sequence[float], b: Sequence[float], t: float) -> tuple[float, float, float]:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t)


def scale(c: Sequence[float], k: float) -> tuple[float, float, float]:
    return (min(255.0, c[0] * k), min(255.0, c[1] * k), min(255.0, c[2] * k))


class Canvas:
    """RGB pixels as float32 in 0..255, shape (height, width, 3)."""

    def __init__(self, width: int, height: int) -> None:
        self.w, self.h = width, height
        self.unit = float(min(width, height))
        self.px = np.zeros((height, width, 3), dtype=np.float32)

    # -- backgrounds -------------------------------------------------------------------
    def vertical_gradient(self, stops: Sequence[tuple[float, Colour]]) -> None:
        """Fill with colours at fractional heights (0 = top), linearly interpolated."""
        ys = np.linspace(0.0, 1.0, self.h, dtype=np.float32)
        pos = [p for p, _ in stops]
        column = np.stack(
            [np.interp(ys, pos, [float(c[i]) for _, c in stops]) for i in range(3)], axis=-1
        ).astype(np.float32)
        self.px[:] = column[:, None, :]

    def column(self, top: Colour, bottom: Colour, y0: int, y1: int) -> np.ndarray:
        """A (rows, 1, 3) vertical ramp used to shade silhouettes by depth."""
        n = max(1, y1 - y0)
        t = np.linspace(0.0, 1.0, n, dtype=np.float32)[:, None]
        ramp = np.asarray(top, np.float32) * (1 - t) + np.asarray(bottom, np.float32) * t
        return ramp[:, None, :]

    # -- light -------------------------------------------------------------------------
    def glow(
        self, cx: float, cy: float, radius: float, colour: Colour, strength: float = 1.0
    ) -> None:
        """Additive soft light that fades to nothing at ``radius``."""
        x0, x1 = max(0, int(cx - radius)), min(self.w, int(cx + radius) + 1)
        y0, y1 = max(0, int(cy - radius)), min(self.h, int(cy + radius) + 1)
        if x0 >= x1 or y0 >= y1 or radius <= 0:
            return
        yy, xx = np.ogrid[y0:y1, x0:x1]
        d2 = ((xx - cx) ** 2 + (yy - cy) ** 2) / (radius * radius)
        falloff = np.clip(1.0 - d2, 0.0, 1.0).astype(np.float32) ** 2.2 * strength
        self.px[y0:y1, x0:x1] += falloff[..., None] * np.asarray(colour, np.float32)

    def add(self, layer: np.ndarray, colour: Colour, strength: float = 1.0) -> None:
        """Additive light from a full-size (h, w) intensity layer."""
        self.px += (layer * strength)[..., None] * np.asarray(colour, np.float32)

    # -- shapes ------------------------------------------------------------------------
    def new_mask(self) -> tuple[Image.Image, ImageDraw.ImageDraw]:
        mask = Image.new("L", (self.w, self.h), 0)
        return mask, ImageDraw.Draw(mask)

    def paint(
        self,
        mask: Image.Image,
        colour: Colour,
        opacity: float = 1.0,
        soften: float = 1.0,
    ) -> None:
        """Blend ``colour`` (RGB, or a (rows, 1, 3) ramp over the full height) through mask."""
        box = mask.getbbox()
        if box is None:
            return
        if soften > 0:
            mask = mask.filter(ImageFilter.BoxBlur(soften))
        pad = int(soften) + 1
        x0, y0 = max(0, box[0] - pad), max(0, box[1] - pad)
        x1, y1 = min(self.w, box[2] + pad), min(self.h, box[3] + pad)
        alpha = np.asarray(mask.crop((x0, y0, x1, y1)), dtype=np.float32) * (opacity / 255.0)
        src = np.asarray(colour, dtype=np.float32)
        if src.ndim == 3:  # a full-height ramp
            src = src[y0:y1]
        region = self.px[y0:y1, x0:x1]
        region += (src - region) * alpha[..., None]

    def paint_array(self, alpha: np.ndarray, colour: np.ndarray | Colour, x0: int, y0: int) -> None:
        """Blend a local (rows, cols) alpha patch and a colour (or per-pixel colours)."""
        rows, cols = alpha.shape
        xa, ya = max(0, x0), max(0, y0)
        xb, yb = min(self.w, x0 + cols), min(self.h, y0 + rows)
        if xa >= xb or ya >= yb:
            return
        a = alpha[ya - y0 : yb - y0, xa - x0 : xb - x0]
        src = np.asarray(colour, dtype=np.float32)
        if src.ndim == 3:
            src = src[ya - y0 : yb - y0, xa - x0 : xb - x0]
        region = self.px[ya:yb, xa:xb]
        region += (src - region) * a[..., None]

    # -- finishing ---------------------------------------------------------------------
    def vignette(self, strength: float = 0.55) -> None:
        """Darken corners so the centre (where zooms and pans land) carries the eye."""
        ys = np.linspace(-1.0, 1.0, self.h, dtype=np.float32)[:, None]
        xs = np.linspace(-1.0, 1.0, self.w, dtype=np.float32)[None, :]
        d = np.sqrt(xs * xs * 0.9 + ys * ys * 0.9)
        self.px *= (1.0 - strength * np.clip(d - 0.35, 0.0, 1.0) ** 1.6)[..., None]

    def grain(self, rng: np.random.Generator, amount: float = 3.0) -> None:
        """Fine film grain: hides gradient banding after 8-bit quantisation and encoding."""
        noise = rng.standard_normal((self.h, self.w), dtype=np.float32) * amount
        self.px += noise[..., None]

    def image(self) -> Image.Image:
        return Image.fromarray(np.clip(self.px, 0, 255).astype(np.uint8), "RGB")


def value_noise(
    rng: np.random.Generator, width: int, height: int, cells: int, octaves: int = 3
) -> np.ndarray:
    """Smooth fractal noise in 0..1 of shape (height, width), built from upscaled grids."""
    total = np.zeros((height, width), dtype=np.float32)
    norm = 0.0
    for octave in range(octaves):
        n = cells * (2**octave)
        gw = max(2, round(n * width / max(width, height)) + 1)
        gh = max(2, round(n * height / max(width, height)) + 1)
        grid = rng.random((gh, gw), dtype=np.float32)
        layer = Image.fromarray(grid, "F").resize((width, height), Image.Resampling.BICUBIC)
        weight = 0.5**octave
        total += np.asarray(layer, dtype=np.float32) * weight
        norm += weight
    return np.clip(total / norm, 0.0, 1.0)


def soft_layer(mask: Image.Image, blur_fraction: float = 0.02) -> np.ndarray:
    """A blurred copy of a mask as floats 0..1; blurred at quarter size because it is cheap."""
    w, h = mask.size
    small = mask.resize((max(1, w // 4), max(1, h // 4)), Image.Resampling.BILINEAR)
    radius = max(1.0, min(w, h) * blur_fraction / 4)
    small = small.filter(ImageFilter.GaussianBlur(radius))
    big = small.resize((w, h), Image.Resampling.BILINEAR)
    return np.asarray(big, dtype=np.float32) / 255.0
