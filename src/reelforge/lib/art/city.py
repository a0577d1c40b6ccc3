"""Built and living silhouettes: skylines, towers, castles, temples, pyramids, people."""

from __future__ import annotations

import random

from PIL import ImageDraw

from reelforge.lib.art.canvas import Canvas, Colour, mix, scale


def skyline(
    c: Canvas, rng: random.Random, base: float, colour: Colour, windows: Colour | None
) -> None:
    """Blocks of varied height, tallest near the centre, with optional lit windows."""
    mask, draw = c.new_mask()
    lit, wdraw = c.new_mask()
    x = -c.unit * 0.02
    while x < c.w:
        bw = c.unit * (0.06 + rng.random() * 0.09)
        centrality = 1 - abs((x + bw / 2) / c.w - 0.5) * 1.4
        bh = c.h * (0.06 + rng.random() * 0.14) * (0.6 + 0.8 * max(0.0, centrality))
        top = base - bh
        draw.rectangle((x, top, x + bw, base + c.h * 0.01), fill=255)
        if rng.random() < 0.25:  # an antenna or spire
            draw.rectangle((x + bw * 0.45, top - bh * 0.25, x + bw * 0.55, top), fill=255)
        if windows is not None:
            step = max(3.0, c.unit * 0.018)
            wy = top + step
            while wy < base - step:
                wx = x + step * 0.6
                while wx < x + bw - step:
                    if rng.random() < 0.35:
                        wdraw.rectangle((wx, wy, wx + step * 0.45, wy + step * 0.55), fill=255)
                    wx += step
                wy += step * 1.2
        x += bw * (0.85 + rng.random() * 0.3)
    c.paint(mask, colour)
    if windows is not None:
        c.paint(lit, windows, opacity=0.9, soften=0)


def tower(
    c: Canvas, rng: random.Random, base: float, colour: Colour, beacon: Colour | None
) -> None:
    """One tall tapering tower in the middle: a lighthouse, a spire, an iron tower."""
    cx = c.w * (0.5 + rng.uniform(-0.06, 0.06))
    height = c.h * (0.32 + rng.random() * 0.1)
    half = c.unit * 0.06
    top = base - height
    mask, draw = c.new_mask()
    draw.polygon(
        [(cx - half, base), (cx + half, base), (cx + half * 0.45, top), (cx - half * 0.45, top)],
        fill=255,
    )
    draw.rectangle((cx - half * 0.7, top - c.unit * 0.015, cx + half * 0.7, top), fill=255)
    cap = top - c.unit * 0.07
    draw.rectangle((cx - half * 0.35, cap, cx + half * 0.35, top), fill=255)
    draw.polygon(
        [(cx - half * 0.5, cap), (cx + half * 0.5, cap), (cx, cap - c.unit * 0.05)], fill=255
    )
    c.paint(mask, colour)
    if beacon is not None:
        c.glow(cx, cap + c.unit * 0.03, c.unit * 0.25, beacon, 0.9)


def castle(c: Canvas, rng: random.Random, base: float, colour: Colour) -> None:
    mask, draw = c.new_mask()
    cx, wall_w = c.w / 2, c.unit * (0.5 + rng.random() * 0.15)
    wall_h = c.h * 0.08
    left, top = cx - wall_w / 2, base - wall_h
    draw.rectangle((left, top, left + wall_w, base + c.h * 0.01), fill=255)
    merlon = c.unit * 0.025
    x = left
    while x < left + wall_w - merlon:
        draw.rectangle((x, top - merlon, x + merlon, top), fill=255)
        x += merlon * 2
    for fx, hk in ((0.0, 1.0), (1.0, 1.0), (0.5, 1.6)):  # two flank towers and a keep
        tx, th, tw = left + wall_w * fx, wall_h * 1.8 * hk, c.unit * 0.09
        draw.rectangle((tx - tw / 2, base - th, tx + tw / 2, base + c.h * 0.01), fill=255)
        draw.polygon(
            [(tx - tw * 0.65, base - th), (tx + tw * 0.65, base - th), (tx, base - th - tw * 1.2)],
            fill=255,
        )
    c.paint(mask, colour)


def temple(c: Canvas, rng: random.Random, base: float, colour: Colour, light: Colour) -> None:
    """A classical front: steps, columns, and a pediment, lit from one side."""
    cx, width = c.w / 2, c.unit * (0.6 + rng.random() * 0.15)
    height = c.unit * 0.32
    left, top = cx - width / 2, base - height
    mask, draw = c.new_mask()
    for s in range(3):
        inset = s * c.unit * 0.02
        step_top = base - s * c.unit * 0.015
        draw.rectangle(
            (
                left + inset - c.unit * 0.04,
                step_top,
                left + width - inset + c.unit * 0.04,
                base + c.h * 0.01,
            ),
            fill=255,
        )
    cols = 4 + rng.randint(0, 3)
    col_w = width / (cols * 2 - 1)
    for i in range(cols):
        x = left + i * col_w * 2
        draw.rectangle((x, top, x + col_w, base), fill=255)
    draw.rectangle(
        (left - c.unit * 0.02, top - c.unit * 0.04, left + width + c.unit * 0.02, top), fill=255
    )
    draw.polygon(
        [
            (left - c.unit * 0.03, top - c.unit * 0.04),
            (left + width + c.unit * 0.03, top - c.unit * 0.04),
            (cx, top - c.unit * 0.14),
        ],
        fill=255,
    )
    c.paint(mask, c.column(mix(colour, light, 0.35), colour, 0, c.h))


def pyramid(c: Canvas, rng: random.Random, base: float, lit: Colour, shade: Colour) -> None:
    cx = c.w * (0.5 + rng.uniform(-0.08, 0.08))
    half = c.unit * (0.38 + rng.random() * 0.1)
    apex = (cx + half * 0.1, base - half * 0.95)
    for pts, colour in (
        ([(cx - half, base), apex, (cx + half * 0.25, base)], lit),
        ([(cx + half * 0.25, base), apex, (cx + half, base)], shade),
    ):
        mask, draw = c.new_mask()
        draw.polygon(pts, fill=255)
        c.paint(mask, colour)
    if rng.random() < 0.7:  # a smaller companion, as at Giza
        mask, draw = c.new_mask()
        x2, h2 = cx - half * 1.35, half * 0.45
        draw.polygon([(x2 - h2, base), (x2, base - h2 * 0.95), (x2 + h2, base)], fill=255)
        c.paint(mask, mix(lit, shade, 0.5))


def figure(draw: ImageDraw.ImageDraw, x: float, base: float, height: float, pose: int) -> None:
    """Human silhouette with its feet on ``base``, drawn into a mask.

    Proportions follow the usual seven-and-a-half heads; ``pose`` 0 stands, 1 strides,
    2 raises an arm.
    """
    h = height
    head = h * 0.065
    top = base - h
    draw.ellipse((x - head, top, x + head, top + head * 2.1), fill=255)
    shoulder_y, waist_y, hip_y = top + h * 0.17, base - h * 0.5, base - h * 0.46
    draw.rectangle((x - h * 0.025, top + head * 1.8, x + h * 0.025, shoulder_y + 2), fill=255)
    draw.polygon(
        [
            (x - h * 0.12, shoulder_y),
            (x + h * 0.12, shoulder_y),
            (x + h * 0.13, shoulder_y + h * 0.05),
            (x + h * 0.09, waist_y),
            (x + h * 0.1, hip_y),
            (x - h * 0.1, hip_y),
            (x - h * 0.09, waist_y),
            (x - h * 0.13, shoulder_y + h * 0.05),
        ],
        fill=255,
    )
    spread = h * (0.1 if pose == 1 else 0.035)
    for side in (-1, 1):
        foot = x + side * spread
        draw.polygon(
            [
                (x + side * h * 0.1, hip_y - 1),
                (x + side * h * 0.005, hip_y - 1),
                (foot + side * h * 0.01, base),
                (foot + side * h * 0.06, base),
            ],
            fill=255,
        )
        raised = pose == 2 and side < 0
        hand = (
            (x + side * h * 0.2, top - h * 0.06)
            if raised
            else (x + side * h * 0.16, base - h * 0.52)
        )
        sx = x + side * h * 0.115
        draw.line((sx, shoulder_y + h * 0.03, *hand), fill=255, width=max(1, int(h * 0.05)))
        r = h * 0.028
        draw.ellipse((sx - r, shoulder_y, sx + r, shoulder_y + 2 * r), fill=255)
        draw.ellipse((hand[0] - r, hand[1] - r, hand[0] + r, hand[1] + r), fill=255)


def people(
    c: Canvas, rng: random.Random, base: float, colour: Colour, crowd: bool, rim: Colour
) -> None:
    mask, draw = c.new_mask()
    if crowd:
        n = 9 + rng.randint(0, 8)
        for _ in range(n):
            x = c.w * rng.uniform(0.12, 0.88)
            figure(
                draw,
                x,
                base + c.unit * rng.uniform(0.0, 0.06),
                c.unit * rng.uniform(0.1, 0.15),
                rng.randint(0, 2),
            )
    else:
        x, feet, height = (
            c.w * (0.5 + rng.uniform(-0.05, 0.05)),
            base + c.unit * 0.02,
            c.unit * 0.26,
        )
        # A soft backlight keeps a dark figure readable against dark terrain.
        c.glow(x, feet - height * 0.6, height * 0.95, rim, 0.5)
        figure(draw, x, feet, height, rng.randint(0, 2))
    c.paint(mask, mix(colour, rim, 0.15))
    c.paint(mask, scale(colour, 0.8), opacity=0.9, soften=0)
