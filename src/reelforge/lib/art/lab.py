"""Science motifs (atoms, molecules, helices, cells, glassware) and the abstract fallback."""

from __future__ import annotations

import math
import random

import numpy as np

from reelforge.lib.art.canvas import Canvas, Colour, mix, scale, soft_layer
from reelforge.lib.art.sky import planet


def _glow_lines(
    c: Canvas, lines: list[list[tuple[float, float]]], colour: Colour, width: float
) -> None:
    mask, draw = c.new_mask()
    for pts in lines:
        draw.line(pts, fill=255, width=max(1, int(width)), joint="curve")
    c.add(soft_layer(mask, 0.012), colour, 0.9)
    c.paint(mask, mix(colour, (255, 255, 255), 0.5), opacity=0.9)


def atom(c: Canvas, rng: random.Random, cx: float, cy: float, r: float, colour: Colour) -> None:
    """Nucleus with three tilted elliptical orbits and an electron on each."""
    orbits: list[list[tuple[float, float]]] = []
    electrons: list[tuple[float, float]] = []
    start = rng.random() * math.pi
    for k in range(3):
        rot = start + k * math.pi / 3
        pts = []
        for i in range(121):
            t = i / 120 * 2 * math.pi
            x, y = r * math.cos(t), r * 0.32 * math.sin(t)
            pts.append(
                (
                    cx + x * math.cos(rot) - y * math.sin(rot),
                    cy + x * math.sin(rot) + y * math.cos(rot),
                )
            )
        orbits.append(pts)
        electrons.append(pts[rng.randrange(120)])
    _glow_lines(c, orbits, colour, c.unit * 0.006)
    c.glow(cx, cy, r * 0.6, colour, 0.8)
    for i in range(5):  # a clustered nucleus of shaded balls
        a = i * 2.4
        planet(
            c,
            rng,
            cx + math.cos(a) * r * 0.07,
            cy + math.sin(a) * r * 0.07,
            r * 0.09,
            mix(colour, (255, 90, 90), 0.5 * (i % 2)),
            scale(colour, 0.6),
            striped=False,
        )
    for ex, ey in electrons:
        c.glow(ex, ey, r * 0.12, (255, 255, 255), 1.0)


def molecule(
    c: Canvas, rng: random.Random, cx: float, cy: float, r: float, colours: list[Colour]
) -> None:
    """A small ball-and-stick graph laid out around the centre."""
    n = 6 + rng.randint(0, 5)
    nodes = [(cx, cy)]
    for _ in range(n - 1):
        px, py = nodes[rng.randrange(len(nodes))]
        a = rng.random() * 2 * math.pi
        nodes.append((px + math.cos(a) * r * 0.38, py + math.sin(a) * r * 0.38))
    bonds = [[nodes[i], nodes[max(0, i - 1 - rng.randrange(min(i, 2)))]] for i in range(1, n)]
    _glow_lines(c, bonds, colours[0], c.unit * 0.012)
    for i, (x, y) in enumerate(nodes):
        col = colours[i % len(colours)]
        planet(c, rng, x, y, r * (0.08 + rng.random() * 0.06), col, scale(col, 0.6), striped=False)


def helix(
    c: Canvas,
    rng: random.Random,
    cx: float,
    top: float,
    bottom: float,
    amp: float,
    colours: list[Colour],
) -> None:
    turns = 2.5 + rng.random()
    strands: list[list[tuple[float, float]]] = [[], []]
    rungs: list[list[tuple[float, float]]] = []
    steps = 160
    for i in range(steps + 1):
        t = i / steps
        y = top + (bottom - top) * t
        a = t * turns * 2 * math.pi
        xa, xb = cx + amp * math.sin(a), cx - amp * math.sin(a)
        strands[0].append((xa, y))
        strands[1].append((xb, y))
        if i % 8 == 0:
            rungs.append([(xa, y), (xb, y)])
    _glow_lines(c, rungs, colours[-1], c.unit * 0.004)
    _glow_lines(c, strands, colours[0], c.unit * 0.01)


def cells(c: Canvas, rng: np.random.Generator, colour: Colour, nucleus: Colour) -> None:
    """Translucent wobbly cells with bright membranes, bigger ones near the centre."""
    prng = random.Random(int(rng.integers(0, 2**31)))  # nosec B311 # seeded random for reproducible content, simulation or retry jitter, not for security
    for _ in range(5 + prng.randint(0, 4)):
        cx = c.w * (0.5 + prng.gauss(0, 0.22))
        cy = c.h * (0.45 + prng.gauss(0, 0.18))
        r = c.unit * (0.07 + prng.random() * 0.12)
        phase = prng.random() * 6.28
        pts = [
            (
                cx + math.cos(t) * r * (1 + 0.08 * math.sin(3 * t + phase)),
                cy + math.sin(t) * r * (1 + 0.08 * math.cos(2 * t + phase)),
            )
            for t in np.linspace(0, 2 * math.pi, 72)
        ]
        body, draw = c.new_mask()
        draw.polygon(pts, fill=255)
        c.paint(body, colour, opacity=0.35)
        edge, edraw = c.new_mask()
        edraw.line([*pts, pts[0]], fill=255, width=max(1, int(c.unit * 0.006)))
        c.paint(edge, mix(colour, (255, 255, 255), 0.5), opacity=0.8)
        c.glow(cx + r * 0.2, cy - r * 0.1, r * 0.45, nucleus, 0.7)


def flasks(c: Canvas, rng: random.Random, base: float, glass: Colour, liquid: Colour) -> None:
    """Conical flasks along the bench line, their liquid glowing."""
    for k, fx in enumerate((0.3, 0.5, 0.7)):
        x = c.w * (fx + rng.uniform(-0.03, 0.03))
        h = c.unit * (0.22 + 0.06 * (k == 1))
        w = h * 0.45
        mask, draw = c.new_mask()
        draw.polygon(
            [
                (x - w, base),
                (x + w, base),
                (x + w * 0.22, base - h * 0.6),
                (x - w * 0.22, base - h * 0.6),
            ],
            fill=255,
        )
        draw.rectangle((x - w * 0.22, base - h, x + w * 0.22, base - h * 0.6), fill=255)
        c.paint(mask, glass, opacity=0.35)
        fluid, fdraw = c.new_mask()
        level = 0.25 + rng.random() * 0.25
        fdraw.polygon(
            [
                (x - w, base),
                (x + w, base),
                (x + w * (1 - level * 1.3), base - h * level),
                (x - w * (1 - level * 1.3), base - h * level),
            ],
            fill=255,
        )
        c.paint(fluid, liquid, opacity=0.85)
        c.glow(x, base - h * 0.15, h * 0.6, liquid, 0.5)


def abstract(c: Canvas, rng: random.Random, colours: list[Colour]) -> None:
    """Fallback art: bokeh discs, a glowing orb and two soft ribbons around the centre."""
    for _ in range(14):
        x, y = c.w * rng.random(), c.h * rng.random()
        r = c.unit * (0.03 + rng.random() * 0.1)
        c.glow(x, y, r, colours[rng.randrange(len(colours))], 0.35 + rng.random() * 0.35)
    c.glow(c.w / 2, c.h * 0.45, c.unit * 0.45, colours[0], 0.7)
    c.glow(c.w / 2, c.h * 0.45, c.unit * 0.18, mix(colours[0], (255, 255, 255), 0.6), 0.8)
    ribbons = []
    for k in range(2):
        ph, amp = rng.random() * 6.28, c.h * (0.05 + 0.04 * k)
        y0 = c.h * (0.55 + 0.08 * k)
        ribbons.append(
            [(x, y0 + amp * math.sin(x / c.w * 6.28 * 1.3 + ph)) for x in range(0, c.w + 6, 6)]
        )
    _glow_lines(c, ribbons, colours[-1], c.unit * 0.01)
