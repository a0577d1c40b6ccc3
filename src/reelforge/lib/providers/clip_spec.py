"""What a motion clip request is, and the rules every video provider shares.

Providers take only a few fixed clip lengths and sizes: a request is rounded up to the next
length on offer (the renderer trims the clip or holds its last frame) and to the smallest
resolution tier that covers the render size. The billed length and tier name the cost.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from PIL import Image, ImageOps

_SAFETY_WORDS = (
    "safety",
    "moderation",
    "content_policy",
    "content policy",
    "filtered",
    "responsible ai",
    "usage guidelines",
)


@dataclass(frozen=True)
class ClipRequest:
    still: Path
    prompt: str
    seconds: float  # how long the scene needs the clip to be
    width: int
    height: int


@dataclass(frozen=True)
class ClipSpec:
    """What is actually ordered (and billed): a length and a tier the provider offers."""

    seconds: int
    resolution: str


@dataclass(frozen=True)
class ClipResult:
    path: Path
    spec: ClipSpec
    job: str


class ClipClient(Protocol):
    provider: str
    model: str

    def spec(self, request: ClipRequest) -> ClipSpec: ...

    def generate(self, request: ClipRequest, dest: Path) -> ClipResult: ...


def pick_seconds(wanted: float, offered: tuple[int, ...]) -> int:
    """The shortest length on offer that covers `wanted`, else the longest."""
    return next((s for s in offered if s >= math.ceil(wanted - 1e-6)), offered[-1])


def pick_tier(width: int, height: int, tiers: tuple[str, ...]) -> str:
    """The smallest '<n>p' tier whose short side covers the render size, else the largest."""
    short = min(width, height)
    return next((t for t in tiers if int(t[:-1]) >= short), tiers[-1])


_CAMERA = {
    "none": "a steady camera with gentle motion in the scene",
    "zoom_in": "a slow push-in toward the centre",
    "zoom_out": "a slow pull-back from the centre",
    "pan_left": "a slow pan, the picture sliding to the left",
    "pan_right": "a slow pan, the picture sliding to the right",
}


def clip_prompt(visual_prompt: str, motion: str) -> str:
    """The text sent with the still: the scene, the camera move it would get anyway, no text."""
    camera = _CAMERA.get(motion, _CAMERA["none"])
    return (
        f"{visual_prompt.strip().rstrip('.')}. Animate this image with {camera}; "
        "keep the composition, no on-screen text, no captions, no logos."
    )


def is_safety(text: str) -> bool:
    low = text.lower()
    return any(word in low for word in _SAFETY_WORDS)


def image_bytes(still: Path, size: tuple[int, int] | None = None) -> tuple[bytes, str]:
    """The still as PNG bytes, cover-cropped to `size` when the API wants an exact size."""
    with Image.open(still) as img:
        picture = img.convert("RGB")
    if size is not None and picture.size != size:
        picture = ImageOps.fit(picture, size, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue(), "image/png"
