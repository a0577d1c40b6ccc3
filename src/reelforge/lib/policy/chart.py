"""A small horizontal bar chart of parameter importance, drawn with Pillow (no matplotlib)."""

from __future__ import annotations

import io
from collections.abc import Mapping

from PIL import Image, ImageDraw, ImageFont

from reelforge.lib.art.fonts import FontNotFoundError, load, primary_font_path

WIDTH, ROW, PAD, LABEL = 520, 26, 10, 150


def importance_png(importance: Mapping[str, float], title: str = "parameter importance") -> bytes:
    """PNG bytes: one bar per parameter, longest first, with its share as a percentage."""
    items = sorted(importance.items(), key=lambda kv: (-kv[1], kv[0]))
    height = PAD * 3 + ROW * (len(items) + 1)
    img = Image.new("RGB", (WIDTH, height), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    try:
        font: ImageFont.FreeTypeFont | ImageFont.ImageFont = load(primary_font_path(), 14)
    except (OSError, FontNotFoundError):
        font = ImageFont.load_default()
    draw.text((PAD, PAD), title, fill=(30, 30, 30), font=font)
    top = max((v for _, v in items), default=0.0) or 1.0
    span = WIDTH - LABEL - PAD * 2 - 50
    for i, (name, value) in enumerate(items):
        y = PAD * 2 + ROW * (i + 1)
        draw.text((PAD, y + 4), name, fill=(50, 50, 50), font=font)
        length = int(span * max(0.0, value) / top)
        draw.rectangle((LABEL, y + 3, LABEL + max(1, length), y + ROW - 5), fill=(66, 120, 200))
        draw.text((LABEL + length + 6, y + 4), f"{value:.0%}", fill=(50, 50, 50), font=font)
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()
