"""Turn a ScenePlan into layers: choose the light and colours, then paint back to front."""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np

from reelforge.lib.art import city, lab, land, sky
from reelforge.lib.art.canvas import Canvas, mix, scale, value_noise
from reelforge.lib.art.palettes import DEFAULT_PALETTES, GENRE_PALETTES, RGB
from reelforge.lib.art.prompt import ScenePlan

Col = tuple[float, float, float]
_NIGHT_GENRES = ("space", "mystery")
_GROUND = ("mountain", "forest", "water", "dunes", "city", "tower", "castle", "temple", "pyramid")
_CELESTIAL = ("planet", "moon", "galaxy", "nebula", "sun")


@dataclass(frozen=True)
class Look:
    top: Col
    mid: Col
    horizon: Col
    accent: Col
    ground: Col
    light: Col
    time: str


def choose_look(genre: str, plan: ScenePlan, rng: random.Random) -> Look:
    """Genre palette, tinted by the prompt's free colours and its time of day."""
    base = rng.choice(GENRE_PALETTES.get(genre, DEFAULT_PALETTES))
    top, horizon, accent = base.sky_top, base.horizon, base.accent
    ground, light = base.ground, base.light
    free = plan.free_colours
    if free:
        horizon = mix(horizon, free[0], 0.7)
        top = mix(top, scale(free[0], 0.3), 0.55)
        accent = mix(accent, free[-1], 0.75)
        ground = mix(ground, scale(free[0], 0.15), 0.3)
    time = plan.time or ("night" if genre in _NIGHT_GENRES else rng.choice(("dusk", "dawn", "day")))
    if time == "night":
        top, horizon = scale(top, 0.55), scale(horizon, 0.6)
    elif time == "dusk":
        horizon = mix(horizon, (255, 120, 60), 0.25)
    elif time == "dawn":
        horizon = mix(horizon, (255, 190, 150), 0.25)
    else:
        top, horizon = mix(top, (70, 140, 220), 0.45), mix(horizon, (210, 230, 245), 0.35)
    mid = mix(top, horizon, 0.45)
    return Look(top, mid, horizon, accent, ground, light, time)


def _sky(c: Canvas, look: Look, horizon_frac: float) -> None:
    # The horizon glows a little brighter at the centre, where the eye should go.
    c.vertical_gradient(
        [
            (0.0, look.top),
            (horizon_frac * 0.55, look.mid),
            (horizon_frac, look.horizon),
            (min(1.0, horizon_frac + 0.01), mix(look.horizon, look.ground, 0.6)),
            (1.0, look.ground),
        ]
    )
    if horizon_frac < 1.0:
        c.glow(c.w / 2, c.h * horizon_frac, c.unit * 0.75, scale(look.horizon, 0.35), 0.8)


def _texture(c: Canvas, nrng: np.random.Generator, hy: float) -> None:
    """Break up flat foreground colour with faint mottling (light, so shapes still read)."""
    y0 = int(hy)
    if y0 >= c.h:
        return
    n = value_noise(nrng, c.w, c.h - y0, cells=6, octaves=3)
    c.px[y0:] *= (0.82 + 0.36 * n)[..., None]


def _celestial(
    c: Canvas,
    plan: ScenePlan,
    look: Look,
    rng: random.Random,
    nrng: np.random.Generator,
    grounded: bool,
    hy: float,
) -> None:
    u = c.unit
    cx, cy = c.w / 2, (hy * 0.5 if grounded else c.h * 0.42)
    if plan.has("stars") or look.time == "night":
        c_density = 1.6 if not grounded else 0.9
        sky.star_field(c, nrng, c_density, top=hy / c.h if grounded else 1.0)
    if plan.has("nebula") or (not grounded and plan.has("stars", "galaxy", "planet")):
        sky.nebula(c, nrng, look.accent, mix(look.horizon, look.light, 0.3), 0.55)
    if plan.has("galaxy"):
        sky.galaxy(
            c, nrng, cx, cy, u * (0.3 if grounded else 0.42), mix(look.accent, look.light, 0.4)
        )
    if plan.has("sun"):
        colour = plan.element_colours.get("sun", look.light)
        sx, sy = cx + u * rng.uniform(-0.1, 0.1), (hy - u * 0.1 if grounded else cy - u * 0.05)
        if plan.has("planet") and not grounded:  # the planet takes the centre
            sx, sy = cx + c.w * 0.3 * rng.choice((-1, 1)), cy - u * 0.3
        sky.sun(c, sx, sy, u * (0.07 if grounded else 0.11), colour)
    moons = plan.counts.get("moon", 1 if plan.has("moon") else 0)
    if plan.has("planet", "ringed"):
        base = plan.element_colours.get("planet") or mix(
            look.accent, (rng.random() * 255, 160, 120), 0.35
        )
        r = u * (0.15 if grounded else 0.27)
        py = cy - (u * 0.08 if grounded else 0)
        sky.planet(
            c,
            rng,
            cx,
            py,
            r,
            base,
            mix(base, look.light, 0.45),
            rings=plan.has("ringed"),
            ring_colour=mix(look.light, base, 0.3),
        )
        for k in range(min(moons, 6)):
            ang = rng.uniform(0, 6.28)
            dist = r * (1.6 + 0.5 * k + rng.random() * 0.3)
            sky.moon(
                c,
                rng,
                cx + dist * np.cos(ang),
                py + dist * np.sin(ang) * 0.8,
                r * (0.07 + rng.random() * 0.06),
                mix(look.light, (180, 180, 190), 0.5),
            )
    elif moons:
        colour = plan.element_colours.get("moon", mix(look.light, (220, 220, 230), 0.5))
        for k in range(min(moons, 4)):
            r = u * (0.16 if k == 0 else 0.05)
            mx = cx + (0 if k == 0 else u * rng.uniform(-0.4, 0.4))
            my = (hy * 0.45 if grounded else cy) - (0 if k == 0 else u * rng.uniform(0.2, 0.35))
            sky.moon(c, rng, mx, my, r * (0.7 if grounded else 1.0), colour)
    if not grounded and plan.horizon:
        sky.horizon_arc(c, c.h * 0.2, scale(look.ground, 0.8), look.accent)


def _ground(
    c: Canvas, plan: ScenePlan, look: Look, rng: random.Random, nrng: np.random.Generator, hy: float
) -> float:
    """Terrain and buildings; returns the line figures and glassware stand on."""
    far, near = mix(look.horizon, look.ground, 0.45), scale(look.ground, 0.75)
    base = hy
    if plan.has("mountain"):
        land.mountains(c, rng, hy, far, mix(plan.element_colours.get("mountain", near), near, 0.5))
    if plan.has("water"):
        land.water(c, nrng, hy, scale(look.ground, 0.9), look.horizon, look.light)
        if "waves" in plan.motifs or rng.random() < 0.3:
            land.waves(
                c,
                rng,
                hy,
                mix(look.ground, look.accent, 0.2),
                mix(look.light, (255, 255, 255), 0.5),
            )
        base = hy + (c.h - hy) * 0.1
    elif plan.has("dunes") or not plan.has("mountain", "forest"):
        tint = plan.element_colours.get("dunes", mix(look.horizon, look.ground, 0.6))
        land.dunes(c, rng, hy, mix(tint, far, 0.3), scale(tint, 0.55))
        base = hy + c.h * 0.06
    lit = look.accent if look.time in ("night", "dusk") else None
    building = scale(mix(look.ground, look.horizon, 0.15), 0.85)
    if plan.has("city"):
        city.skyline(c, rng, base, mix(building, far, 0.35), lit)
    if plan.has("pyramid"):
        city.pyramid(
            c, rng, base, mix(look.light, look.horizon, 0.5), mix(look.ground, look.horizon, 0.35)
        )
    if plan.has("temple"):
        city.temple(c, rng, base, building, look.light)
    if plan.has("castle"):
        city.castle(c, rng, base, building)
    if plan.has("tower"):
        city.tower(c, rng, base, building, look.light if lit or plan.has("fog") else None)
    if plan.has("forest"):
        round_trees = rng.random() < 0.5
        land.forest(c, rng, max(hy, base - c.h * 0.02), far, scale(look.ground, 0.6), round_trees)
    return base


def compose(
    c: Canvas, genre: str, plan: ScenePlan, rng: random.Random, nrng: np.random.Generator
) -> None:
    look = choose_look(genre, plan, rng)
    grounded = plan.has(*_GROUND) or (plan.has("figure", "lab") and not plan.has(*_CELESTIAL))
    hy = c.h * (0.64 if c.h >= c.w else 0.68)
    _sky(c, look, hy / c.h if grounded else 1.0)
    drew = False
    if grounded or plan.has(*_CELESTIAL, "stars") or look.time == "night":
        _celestial(c, plan, look, rng, nrng, grounded, hy)
        drew = plan.has(*_CELESTIAL, "stars")
    base = hy
    if grounded:
        base = _ground(c, plan, look, rng, nrng, hy)
        if not plan.has("water"):
            _texture(c, nrng, hy)
        drew = True
    centre = (c.w / 2, c.h * (0.42 if not grounded else 0.36))
    palette: list[RGB | Col] = [look.accent, look.light, mix(look.accent, look.horizon, 0.5)]
    if plan.has("cell"):
        lab.cells(c, nrng, look.accent, look.light)
        drew = True
    if plan.has("atom"):
        lab.atom(c, rng, *centre, c.unit * 0.36, look.accent)
        drew = True
    if plan.has("molecule"):
        if rng.random() < 0.5:
            lab.helix(c, rng, c.w / 2, c.h * 0.18, c.h * 0.62, c.unit * 0.16, palette)
        else:
            lab.molecule(c, rng, *centre, c.unit * 0.6, palette)
        drew = True
    if plan.has("lab"):
        lab.flasks(
            c, rng, base if grounded else c.h * 0.8, mix(look.light, look.horizon, 0.5), look.accent
        )
        drew = True
    if plan.has("figure"):
        floating = not grounded
        city.people(
            c,
            rng,
            c.h * 0.62 if floating else base,
            scale(look.ground, 0.45),
            plan.has("crowd"),
            look.light,
        )
        drew = True
    if plan.has("fog"):
        land.fog(c, nrng, hy, mix(look.horizon, (235, 235, 240), 0.4))
    if plan.has("storm"):
        land.lightning(c, rng, look.light)
        land.rain(c, rng, mix(look.light, look.horizon, 0.5))
    if not drew:
        lab.abstract(c, rng, palette)
