"""Upload limits per platform (`config/platforms.yaml`): duration, frame rate, smallest side,
and the `quotas:` section (uploads and API units per window, see `reelforge.lib.quotas`).

Validated on load with one message listing every problem, like the channels file.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from reelforge.lib.quotas import Quota


class PlatformLimits(BaseModel):
    """What one platform accepts; 0 / None means "no limit" for the optional fields."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_seconds: float = Field(ge=0)
    max_seconds: float = Field(gt=0)
    min_fps: float = Field(0, ge=0)
    max_fps: float | None = Field(None, gt=0)
    min_short_side: int = Field(0, ge=0, description="pixels, the smaller of width and height")

    @model_validator(mode="after")
    def _ordered(self) -> PlatformLimits:
        if self.max_seconds <= self.min_seconds:
            raise ValueError("max_seconds must be greater than min_seconds")
        if self.max_fps is not None and self.max_fps < self.min_fps:
            raise ValueError("max_fps must not be below min_fps")
        return self


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    platforms: dict[str, PlatformLimits] = Field(min_length=1)
    # Per platform; a platform without an entry is unlimited.
    quotas: dict[str, Quota] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _quota_platforms_known(self) -> _File:
        unknown = sorted(set(self.quotas) - set(self.platforms))
        if unknown:
            raise ValueError(f"quotas for unknown platforms: {', '.join(unknown)}")
        return self


class PlatformLimitsError(ValueError):
    """A platforms file that cannot be used; the message lists every problem."""


def _parse(data: Any, source: str) -> _File:
    try:
        return _File.model_validate(data)
    except ValidationError as exc:
        problems = [
            f"{'.'.join(str(p) for p in e['loc']) or '(top level)'}: "
            f"{str(e['msg']).removeprefix('Value error, ')}"
            for e in exc.errors()
        ]
        raise PlatformLimitsError(
            f"invalid {source}:\n" + "\n".join(f"  - {p}" for p in problems)
        ) from None


def parse_platform_limits(data: Any, source: str = "platforms config") -> dict[str, PlatformLimits]:
    return dict(_parse(data, source).platforms)


def parse_platform_quotas(data: Any, source: str = "platforms config") -> dict[str, Quota]:
    return dict(_parse(data, source).quotas)


@functools.cache
def _load(path: Path) -> _File:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise PlatformLimitsError(f"cannot read platforms config {path}: {exc}") from None
    return _parse(data, str(path))


def load_platform_limits(path: Path) -> dict[str, PlatformLimits]:
    """Read and validate a platforms file (cached per path: it is read by every QC run)."""
    return dict(_load(Path(path)).platforms)


def load_platform_quotas(path: Path) -> dict[str, Quota]:
    """The `quotas:` section of a platforms file, per platform (missing = unlimited)."""
    return dict(_load(Path(path)).quotas)
