"""Render settings: encoder preset, quality and an optional smaller size for previews/tests."""

from __future__ import annotations

import dagster as dg

from reelforge.constants import ASPECT_SIZES, FPS


class RenderSettings(dg.ConfigurableResource):
    """How videos are encoded. `height` scales every aspect down (e.g. 480 for review)."""

    preset: str = "veryfast"
    crf: int = 23
    fps: int = FPS
    height: int | None = None

    def size_for(self, aspect: str) -> tuple[int, int]:
        width, height = ASPECT_SIZES[aspect]
        if self.height is None or self.height >= height:
            return width, height
        scale = self.height / height
        # libx264 with yuv420p needs even dimensions.
        return max(16, round(width * scale / 2) * 2), max(16, round(self.height / 2) * 2)
