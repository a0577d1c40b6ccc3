"""Procedural scene art and title cards, drawn offline with Pillow and numpy.

``draw_scene`` reads a visual prompt (see ``art.prompt``) and paints matching motifs over a
genre-coloured sky; ``draw_title_card`` sets the title in large outlined type over such a
background. Both are deterministic in all their arguments. Compositions keep the subject
near the centre because the renderer zooms and pans into these frames.
"""

from __future__ import annotations

import os
import pathlib
import random
import tempfile
import unicodedata
import zlib

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from reelforge.lib.art.canvas import Canvas, mix
from reelforge.lib.art.compose import choose_look, compose
from reelforge.lib.art.fonts import FontSet, fit
from reelforge.lib.art.palettes import DEFAULT_TITLE_PROMPTS, TITLE_PROMPTS
from reelforge.lib.art.prompt import read_prompt

MAX_SIDE = 8192
TITLE_MAX_CHARS = 300


def _check_size(width: int, height: int) -> None:
    if not (1 <= width <= MAX_SIDE and 1 <= height <= MAX_SIDE):
        raise ValueError(f"image size must be within 1..{MAX_SIDE} pixels, got {width}x{height}")


def _seeds(seed: int, *parts: str) -> tuple[random.Random, np.random.Generator]:
    """Two generators keyed by seed and text (crc32, because ``hash`` is salted per process)."""
    key = zlib.crc32("\x1f".join(parts).encode("utf-8", "replace"))
    mixed = (seed * 0x9E3779B1 + key) % (2**63)
    return random.Random(mixed), np.random.default_rng(mixed)  # nosec B311 # seeded random for reproducible content, simulation or retry jitter, not for security


def draw_scene(*, prompt: str, genre: str, width: int, height: int, seed: int) -> Image.Image:
    """An RGB image of exactly ``width`` x ``height`` that illustrates ``prompt``.

    Unknown genres use a neutral palette rather than failing: the prompt still drives the
    picture, and rendering should not die on a label.
    """
    _check_size(width, height)
    rng, nrng = _seeds(seed, "scene", genre, prompt)
    canvas = Canvas(width, height)
    compose(canvas, genre, read_prompt(prompt), rng, nrng)
    canvas.vignette(0.5)
    canvas.grain(nrng, 2.5)
    return canvas.image()


def clean_title(title: str) -> str:
    # Control characters and lone surrogates cannot be drawn (surrogates cannot even be
    # encoded); line breaks become spaces because wrapping is ours to do.
    # Bidi overrides and isolates are dropped as in captions: they reorder what is drawn.
    kept = (
        " " if ch.isspace() else ch
        for ch in title[: TITLE_MAX_CHARS * 20]  # the rest is cut anyway; skip reading it
        if (unicodedata.category(ch) not in ("Cc", "Cs") or ch.isspace())
        and not ("\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069")
    )
    return " ".join("".join(kept).split())[:TITLE_MAX_CHARS]


def text_masks(
    layout_lines: list[str],
    fonts: FontSet,
    size: tuple[int, int],
    top: float,
    line_h: int,
    stroke: int,
) -> tuple[Image.Image, Image.Image]:
    """(fill, outline) masks with each line centred; runs may use different fonts."""
    fill, outline = Image.new("L", size, 0), Image.new("L", size, 0)
    fd, od = ImageDraw.Draw(fill), ImageDraw.Draw(outline)
    ascent, _ = fonts.metrics()
    for i, line in enumerate(layout_lines):
        runs = fonts.runs(line)
        x = (size[0] - sum(f.getlength(t) for t, f in runs)) / 2
        y = top + i * line_h + ascent
        for text, font in runs:
            od.text(
                (x, y), text, font=font, fill=255, anchor="ls", stroke_width=stroke, stroke_fill=255
            )
            fd.text((x, y), text, font=font, fill=255, anchor="ls")
            x += font.getlength(text)
    return fill, outline


def draw_title_card(*, title: str, genre: str, width: int, height: int, seed: int) -> Image.Image:
    """The title in large, outlined, shadowed type over a genre-styled background."""
    _check_size(width, height)
    text = clean_title(title)
    if not text:
        raise ValueError("title must contain at least one visible character")
    rng, _ = _seeds(seed, "title", genre)
    prompt = rng.choice(TITLE_PROMPTS.get(genre, DEFAULT_TITLE_PROMPTS))
    background = draw_scene(prompt=prompt, genre=genre, width=width, height=height, seed=seed)

    # Darken a band behind the text so any background keeps the type readable.
    px = np.asarray(background, dtype=np.float32)
    ys = np.linspace(-1, 1, height, dtype=np.float32)[:, None, None]
    px = px * (1 - 0.55 * np.exp(-((ys + 0.1) ** 2) / 0.18))

    portrait = height >= width
    box_w, box_h = width * 0.86, height * (0.46 if portrait else 0.62)
    start = max(8, int(min(width * 0.14, height * 0.12)))
    # Below about a third of the full size a title stops being readable on a phone, so
    # very long titles are cut with an ellipsis instead of shrinking further.
    layout = fit(text, box_w, box_h, start, minimum=max(8, start // 3))
    block_h = layout.line_height * len(layout.lines)
    top = height * 0.45 - block_h / 2
    stroke = max(1, layout.fonts.size // 14)
    fill, outline = text_masks(
        layout.lines, layout.fonts, (width, height), top, layout.line_height, stroke
    )

    # Soft drop shadow: blurred at quarter size, which is both cheaper and softer.
    shadow = outline.resize((max(1, width // 4), max(1, height // 4)), Image.Resampling.BILINEAR)
    shadow = shadow.filter(ImageFilter.GaussianBlur(max(1.0, layout.fonts.size / 24)))
    shadow = shadow.resize((width, height), Image.Resampling.BILINEAR)
    offset = max(1, layout.fonts.size // 16)
    sh = np.zeros((height, width), dtype=np.float32)
    sh[offset:, offset:] = (
        np.asarray(shadow, np.float32)[: height - offset, : width - offset] / 255.0
    )
    px = px * (1 - 0.75 * sh[..., None])

    look = choose_look(genre, read_prompt(prompt), rng)
    ink = np.asarray(mix((255, 255, 255), look.light, 0.15), np.float32)
    edge = np.asarray(mix((10, 8, 16), look.ground, 0.3), np.float32)
    a_out = np.asarray(outline, np.float32)[..., None] / 255.0
    a_fill = np.asarray(fill, np.float32)[..., None] / 255.0
    px = px * (1 - a_out) + edge * a_out
    px = px * (1 - a_fill) + ink * a_fill

    # A short accent bar above the text ties the card to the genre colour.
    bar_w, bar_h = width * 0.18, max(2, int(height * 0.006))
    bar_y = int(max(0, top - bar_h * 4))
    x0 = int((width - bar_w) / 2)
    px[bar_y : bar_y + bar_h, x0 : int(x0 + bar_w)] = np.asarray(look.accent, np.float32)
    return Image.fromarray(np.clip(px, 0, 255).astype(np.uint8), "RGB")


def save_png(image: Image.Image, path: pathlib.Path) -> None:
    """Write a PNG atomically: readers see the old file or the whole new one, never half."""
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            image.save(handle, format="PNG")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        pathlib.Path(tmp).unlink(missing_ok=True)
        raise
