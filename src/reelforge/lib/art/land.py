"""Landscape motifs: mountain ranges, tree lines, water with waves, dunes, fog, rain."""

from __future__ import annotations

import itertools
import math
import random

import numpy as np
from PIL import Image

from reelforge.lib.art.canvas import Canvas, Colour, mix, scale, soft_layer, value_noise


def _ridge(rng: random.Random, n: int, roughness: float) -> list[float]:
    """1-D midpoint displacement: a natural-looking skyline of peaks, values in 0..1."""
    size = 1
    pts = [rng.random(), rng.random()]
    amp = 1.0
    while size < n:
        nxt: list[float] = []
        for a, b in itertools.pairwise(pts):
            nxt += [a, (a + b) / 2 + rng.uniform(-amp, amp) * 0.5]
        nxt.append(pts[-1])
        pts, size, amp = nxt, size * 2, amp * roughness
    lo, hi = min(pts), max(pts)
    return [(p - lo) / (hi - lo + 1e-9) for p in pts]


def mountains(
    c: Canvas, rng: random.Random, horizon: float, far: Colour, near: Colour, layers: int = 3
) -> None:
    """Ranges that get darker and taller toward the viewer (aerial perspective)."""
    for k in range(layers):
        t = (k + 1) / layers
        base = horizon + c.h * 0.03 * k
        height = c.h * (0.16 + 0.1 * rng.random()) * (1.2 - 0.35 * t)
        ridge = _ridge(rng, 64, 0.55 + 0.1 * rng.random())
        # Lift the middle so a central peak frames the subject the camera zooms into.
        pts = [
            (
                c.w * i / (len(ridge) - 1),
                base
                - height
                * (0.35 + 0.65 * v)
                * (0.75 + 0.4 * math.sin(math.pi * i / (len(ridge) - 1))),
            )
            for i, v in enumerate(ridge)
        ]
        mask, draw = c.new_mask()
        draw.polygon([*pts, (c.w, c.h), (0, c.h)], fill=255)
        colour = mix(far, near, t)
        c.paint(mask, c.column(mix(colour, far, 0.25), scale(colour, 0.7), 0, c.h))


def forest(
    c: Canvas, rng: random.Random, horizon: float, far: Colour, near: Colour, round_trees: bool
) -> None:
    """Rows of conifers (or round canopies) with the nearest row darkest and biggest."""
    rows = 3
    for k in range(rows):
        t = (k + 1) / rows
        base = horizon + c.h * (0.02 + 0.06 * k)
        size = c.unit * (0.05 + 0.05 * t)
        mask, draw = c.new_mask()
        x = -size * rng.random()
        while x < c.w + size:
            hgt = size * (1.6 + rng.random() * 1.6)
            if round_trees:
                rad = hgt * 0.45
                draw.ellipse((x - rad, base - hgt, x + rad, base - hgt + rad * 2), fill=255)
                draw.rectangle((x - rad * 0.15, base - hgt + rad, x + rad * 0.15, base), fill=255)
            else:
                for tier in range(3):  # stacked triangles read as a fir at any size
                    top = base - hgt + tier * hgt * 0.22
                    half = size * (0.35 + 0.22 * tier)
                    draw.polygon(
                        [(x, top), (x - half, top + hgt * 0.45), (x + half, top + hgt * 0.45)],
                        fill=255,
                    )
            x += size * (0.55 + rng.random() * 0.6)
        draw.rectangle((0, base, c.w, c.h), fill=255)
        c.paint(mask, mix(far, near, t))


def water(
    c: Canvas, rng: np.random.Generator, horizon: float, deep: Colour, sky: Colour, glints: Colour
) -> None:
    """Sea from the horizon down: sky reflection fading into depth, with streaky ripples."""
    y0 = int(horizon)
    rows = c.h - y0
    if rows <= 0:
        return
    t = np.linspace(0, 1, rows, dtype=np.float32)[:, None]
    # Noise stretched sideways reads as ripples on a flat surface.
    streaks = np.zeros((rows, c.w), np.float32)
    for cells_y, cells_x, weight in ((48, 5, 0.6), (110, 9, 0.4)):
        grid = rng.random((cells_y, cells_x), dtype=np.float32)
        img = Image.fromarray(grid, "F").resize((c.w, rows), Image.Resampling.BICUBIC)
        streaks += np.asarray(img, np.float32) * weight
    ripple = np.clip((streaks - 0.5) * 2.5, -1, 1)
    reflect = np.asarray(sky, np.float32) * (1 - t[..., None]) * 0.8
    base = reflect + np.asarray(deep, np.float32) * (0.25 + 0.75 * t[..., None])
    light = (ripple * (0.12 + 0.2 * t))[..., None] * np.asarray(glints, np.float32) * 0.5
    c.paint_array(np.ones((rows, c.w), np.float32), base + light, 0, y0)
    # A column of reflected light under the sky's glow, broken up by the ripples.
    xs = np.arange(c.w, dtype=np.float32)[None, :]
    band = np.exp(-(((xs - c.w / 2) / (c.unit * (0.05 + 0.15 * t))) ** 2)) * np.clip(ripple, 0, 1)
    c.px[y0:, :] += (band * (1 - t) * 0.9)[..., None] * np.asarray(glints, np.float32)


def waves(c: Canvas, rng: random.Random, horizon: float, colour: Colour, foam: Colour) -> None:
    """Big foreground swells with bright crests (for prompts that ask for waves)."""
    for k in range(3):
        base = horizon + (c.h - horizon) * (0.35 + 0.22 * k)
        amp = c.unit * (0.025 + 0.02 * k)
        wl = c.unit * (0.35 + 0.1 * rng.random())
        ph = rng.random() * 6.28
        pts = [
            (x, base - amp * math.sin(x / wl * 6.28 + ph) - amp * 0.5 * math.sin(x / wl * 13 + ph))
            for x in range(0, c.w + 8, 8)
        ]
        mask, draw = c.new_mask()
        draw.polygon([*pts, (c.w, c.h), (0, c.h)], fill=255)
        c.paint(mask, scale(colour, 0.9 - 0.2 * k), opacity=0.85)
        crest, cd = c.new_mask()
        cd.line(pts, fill=255, width=max(1, int(c.unit * 0.006)))
        c.paint(crest, foam, opacity=0.7)


def dunes(c: Canvas, rng: random.Random, horizon: float, far: Colour, near: Colour) -> None:
    for k in range(3):
        t = (k + 1) / 3
        base = horizon + c.h * 0.05 * k
        amp = c.h * (0.02 + 0.02 * t)
        ph, wl = rng.random() * 6.28, c.w * (0.5 + rng.random() * 0.6)
        pts = [(x, base - amp * (1 + math.sin(x / wl * 6.28 + ph))) for x in range(0, c.w + 8, 8)]
        mask, draw = c.new_mask()
        draw.polygon([*pts, (c.w, c.h), (0, c.h)], fill=255)
        colour = mix(far, near, t)
        c.paint(mask, c.column(mix(colour, (255, 230, 180), 0.2), scale(colour, 0.65), 0, c.h))


def fog(
    c: Canvas, rng: np.random.Generator, horizon: float, colour: Colour, amount: float = 0.45
) -> None:
    """Drifting bands of mist, thickest just above the horizon."""
    n = value_noise(rng, c.w, c.h, cells=3, octaves=3)
    ys = np.linspace(0, 1, c.h, dtype=np.float32)[:, None]
    h = horizon / c.h
    band = np.exp(-(((ys - h) / 0.16) ** 2))
    alpha = np.clip(n * 1.4 - 0.2, 0, 1) * band * amount
    region = c.px
    region += (np.asarray(colour, np.float32) - region) * alpha[..., None]


def rain(c: Canvas, rng: random.Random, colour: Colour) -> None:
    mask, draw = c.new_mask()
    length = c.unit * 0.04
    for _ in range(int(c.w * c.h / 4000)):
        x, y = rng.random() * c.w, rng.random() * c.h
        draw.line((x, y, x - length * 0.2, y + length), fill=90, width=1)
    c.paint(mask, colour, opacity=0.6, soften=0)


def lightning(c: Canvas, rng: random.Random, colour: Colour) -> None:
    x, y = c.w * (0.35 + rng.random() * 0.3), 0.0
    pts = [(x, y)]
    while y < c.h * 0.6:
        y += c.h * 0.04
        x += rng.uniform(-1, 1) * c.unit * 0.05
        pts.append((x, y))
    mask, draw = c.new_mask()
    draw.line(pts, fill=255, width=max(1, int(c.unit * 0.006)), joint="curve")
    c.add(soft_layer(mask, 0.03), colour, 1.2)
    c.paint(mask, (255, 255, 255))
