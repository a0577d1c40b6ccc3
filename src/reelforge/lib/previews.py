"""Small inline previews for Dagster metadata (a picture beats a path)."""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from pathlib import Path

from PIL import Image


def jpeg_data_uri(image: Image.Image, max_side: int = 200, quality: int = 70) -> str:
    thumb = image.convert("RGB")
    thumb.thumbnail((max_side, max_side))
    buf = io.BytesIO()
    thumb.save(buf, format="JPEG", quality=quality)
    return "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def markdown_gallery(paths: Sequence[Path], max_side: int = 160, alt: str = "preview") -> str:
    """Markdown with one small inline JPEG per image, side by side."""
    parts = []
    for i, path in enumerate(paths):
        with Image.open(path) as img:
            parts.append(f"![{alt} {i}]({jpeg_data_uri(img, max_side)})")
    return " ".join(parts)
