"""Celestial motifs: star fields, nebulae, galaxies, shaded planets, rings, moons, suns."""

from __future__ import annotations

import math
import random

import numpy as np
from PIL import Image, ImageFilter

from reelforge.lib.art.canvas import Canvas, Colour, mix, scale, value_noise


def star_field(c: Canvas, rng: np.random.Generator, density: float = 1.0, top: float = 1.0) -> None:
    """Point stars (brighter ones get a halo) in the top ``top`` fraction of the image."""
    rows = max(1, int(c.h * top))
    count = int(c.w * rows / 900 * density)
    if count <= 0:
        return
    xs = rng.integers(0, c.w, count)
    ys = (rng.random(count) ** 1.3 * rows).astype(np.int64)  # denser high in the sky
    bright = rng.random(count).astype(np.float32) ** 3 * 255
    tint = rng.random((count, 1)).astype(np.float32)
    colours = (1 - tint) * np.array([255, 240, 220], np.float32) + tint * np.array(
        [200, 220, 255], np.float32
    )
    np.add.at(c.px, (ys, xs), colours * (bright[:, None] / 255.0))
    for i in np.argsort(bright)[-max(3, count // 150) :]:
        c.glow(float(xs[i]), float(ys[i]), c.unit * 0.012, colours[i], 0.9)


def nebula(c: Canvas, rng: np.random.Generator, a: Colour, b: Colour, amount: float = 0.7) -> None:
    """Two interleaved clouds of fractal noise, strongest around the centre."""
    n1 = value_noise(rng, c.w, c.h, cells=3, octaves=4)
    n2 = value_noise(rng, c.w, c.h, cells=4, octaves=3)
    ys = np.linspace(-1, 1, c.h, dtype=np.float32)[:, None]
    xs = np.linspace(-1, 1, c.w, dtype=np.float32)[None, :]
    centre = np.clip(1.2 - np.sqrt(xs * xs + ys * ys * 0.7), 0, 1)
    # Octave sums bunch around 0.5, so stretch the contrast before shaping the clouds.
    c.add(np.clip((n1 - 0.42) * 3.0, 0, 1) ** 1.6 * centre, a, amount)
    c.add(np.clip((n2 - 0.48) * 3.0, 0, 1) ** 1.6 * centre, b, amount * 0.8)


def galaxy(
    c: Canvas, rng: np.random.Generator, cx: float, cy: float, r: float, colour: Colour
) -> None:
    """A two-armed spiral: scattered points on log spirals, blurred into light."""
    res = 4  # accumulate at quarter resolution, then blur and upscale
    w, h = max(1, c.w // res), max(1, c.h // res)
    n = 30000
    arm = rng.integers(0, 2, n)
    t = rng.random(n) ** 0.7 * 3.2
    theta = t * 2.2 + arm * math.pi + rng.normal(0, 0.25, n)
    rad = (0.08 + t / 3.2) * r
    tilt = 0.45 + rng.random() * 0.3
    rot = rng.random() * math.pi
    x = rad * np.cos(theta) + rng.normal(0, r * 0.04, n)
    y = rad * np.sin(theta) * tilt + rng.normal(0, r * 0.03, n)
    gx = (cx + x * math.cos(rot) - y * math.sin(rot)) / res
    gy = (cy + x * math.sin(rot) + y * math.cos(rot)) / res
    hist, _, _ = np.histogram2d(gy, gx, bins=(h, w), range=((0, h), (0, w)))
    img = Image.fromarray((np.clip(hist / (hist.max() + 1e-6) * 4, 0, 1) * 255).astype(np.uint8))
    img = img.filter(ImageFilter.GaussianBlur(1.2)).resize((c.w, c.h), Image.Resampling.BILINEAR)
    c.add(np.asarray(img, np.float32) / 255.0, colour, 0.9)
    c.glow(cx, cy, r * 0.35, scale(colour, 1.4), 0.9)
    c.glow(cx, cy, r * 0.12, (255, 245, 230), 1.0)


def _ring_alpha(dx: np.ndarray, dy: np.ndarray, r: float, tilt: float, angle: float) -> np.ndarray:
    u = dx * math.cos(angle) + dy * math.sin(angle)
    v = (-dx * math.sin(angle) + dy * math.cos(angle)) / tilt
    rho = np.sqrt(u * u + v * v) / r
    bands = 0.55 + 0.45 * np.sin(rho * 38.0) * np.sin(rho * 11.0)
    inside = np.clip((rho - 1.35) * 40, 0, 1) * np.clip((2.15 - rho) * 40, 0, 1)
    gap = 1.0 - 0.85 * np.exp(-(((rho - 1.78) * 60) ** 2))  # a dark division, like Cassini's
    return (inside * bands * gap * 0.85).astype(np.float32)


def planet(
    c: Canvas,
    rng: random.Random,
    cx: float,
    cy: float,
    r: float,
    base: Colour,
    band: Colour,
    rings: bool = False,
    ring_colour: Colour = (230, 210, 170),
    striped: bool = True,
) -> None:
    """A lit sphere with soft bands, an atmosphere rim and optional tilted rings."""
    ext = r * (2.3 if rings else 1.15)
    x0, y0 = int(cx - ext), int(cy - ext)
    size = int(ext * 2) + 2
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32)
    dx, dy = xx + x0 - cx, yy + y0 - cy
    d = np.sqrt(dx * dx + dy * dy) / r
    tilt, angle = 0.22 + rng.random() * 0.12, rng.uniform(-0.45, 0.45)
    if rings:
        ring = _ring_alpha(dx, dy, r, tilt, angle)
        behind = (-dx * math.sin(angle) + dy * math.cos(angle)) < 0
        c.paint_array(ring * behind, ring_colour, x0, y0)
    # Lambert shading from a light up and to the left, with a little ambient.
    z = np.sqrt(np.clip(1 - d * d, 0, 1))
    lx, ly, lz = -0.55, -0.45, 0.7
    shade = np.clip((dx / r) * lx + (dy / r) * ly + z * lz, 0, 1) * 0.9 + 0.08
    if striped:
        phase = rng.random() * 6.0
        wobble = np.sin(dx / r * 3.0 + phase) * 0.15
        t = 0.5 + 0.5 * np.sin((dy / r + wobble) * (6 + rng.random() * 6) + phase)
    else:  # cratered moon look: low-frequency blotches
        t = (np.sin(dx / r * 5 + 1.3) * np.sin(dy / r * 4 + 0.7) * 0.5 + 0.5) * 0.6
    surface = (
        np.asarray(base, np.float32) * (1 - t[..., None])
        + np.asarray(band, np.float32) * t[..., None]
    )
    colour = surface * shade[..., None]
    edge = np.clip((1 - d) * r * 0.8, 0, 1)  # one-pixel anti-aliased rim
    c.paint_array(edge.astype(np.float32), colour, x0, y0)
    rim = np.exp(-(((d - 1.0) * 9) ** 2)) * (d > 0.9) * 0.6
    c.paint_array(rim.astype(np.float32), mix(base, (255, 255, 255), 0.5), x0, y0)
    if rings:
        front = (-dx * math.sin(angle) + dy * math.cos(angle)) >= 0
        c.paint_array(ring * front, ring_colour, x0, y0)


def moon(c: Canvas, rng: random.Random, cx: float, cy: float, r: float, colour: Colour) -> None:
    c.glow(cx, cy, r * 2.2, scale(colour, 0.35), 0.6)
    planet(c, rng, cx, cy, r, colour, scale(colour, 0.7), striped=False)


def sun(c: Canvas, cx: float, cy: float, r: float, colour: Colour) -> None:
    c.glow(cx, cy, r * 6, scale(colour, 0.5), 0.8)
    c.glow(cx, cy, r * 2.5, colour, 0.9)
    mask, draw = c.new_mask()
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=255)
    c.paint(mask, mix(colour, (255, 255, 255), 0.6))


def horizon_arc(c: Canvas, rise: float, colour: Colour, glow: Colour) -> None:
    """The curved limb of a huge dark world filling the bottom of the frame."""
    radius = c.w * 2.2
    cx, cy = c.w / 2, c.h - rise + radius
    mask, draw = c.new_mask()
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=255)
    c.glow(cx, c.h - rise, c.w * 0.9, glow, 0.5)
    c.paint(mask, c.column(mix(colour, glow, 0.3), colour, 0, c.h), soften=1.5)
