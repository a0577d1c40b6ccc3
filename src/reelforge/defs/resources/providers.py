"""What a provider call used, for assets that book it themselves.

The provider families live in their own modules (`story_providers`, `speech_providers`,
`image_providers`, `music_providers`, `clip_providers`) and book through the Booker.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Usage:
    provider: str
    model: str
    unit: str
    units: float
    unit_price_usd: float = 0.0
