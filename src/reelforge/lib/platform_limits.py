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


# --- text sent to platforms: titles, descriptions, captions, tags ---------------------------

# Bidi embeddings/overrides/isolates reorder what a viewer sees (a title can spoof another);
# platforms keep them, so they are dropped here, as in burned captions (lib/captions).
_BIDI = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
TITLE_LIMITS = {"youtube": 100, "tiktok": 2200, "instagram": 2200, "outbox": 1000}
DESCRIPTION_LIMITS = {"youtube": 5000, "tiktok": 2200, "instagram": 2200, "outbox": 10000}
YOUTUBE_TAGS_TOTAL = 500  # characters over all tags (YouTube counts a space-holding tag +2)


def post_text(text: str, limit: int, *, multiline: bool = False) -> str:
    """`text` as a platform can take it: NFC, no control or bidi-override characters, no lone
    surrogates, spaces collapsed (line breaks kept only if `multiline`), at most `limit`
    characters, cut with "…" where it had to be shortened (never inside a character sequence
    such as an emoji with modifiers)."""
    import unicodedata

    out: list[str] = []
    for ch in unicodedata.normalize("NFC", str(text).replace("\r\n", "\n")):
        if ch in _BIDI:
            continue
        cat = unicodedata.category(ch)
        if ch == "\n" and multiline:
            out.append("\n")
        elif cat == "Cs":
            out.append("\ufffd")
        elif cat == "Cc" or ch in "\u2028\u2029":
            out.append(" ")
        else:
            out.append(ch)
    lines = [" ".join(line.split()) for line in "".join(out).split("\n")]
    clean = "\n".join(lines).strip()
    while "\n\n\n" in clean:
        clean = clean.replace("\n\n\n", "\n\n")
    if len(clean) <= limit:
        return clean
    cut = clean[: max(0, limit - 1)]
    # Do not end on a joiner, a variation selector or a combining mark (half an emoji/letter).
    while cut and (
        unicodedata.combining(cut[-1])
        or cut[-1] in "\u200d\ufe0f\ufe0e"
        or 0x1F3FB <= ord(cut[-1]) <= 0x1F3FF
    ):
        cut = cut[:-1]
    return cut.rstrip() + "…"


def post_tags(tags: tuple[str, ...] | list[str], total: int = YOUTUBE_TAGS_TOTAL) -> list[str]:
    """Tags cleaned to one line each, unique, within `total` characters altogether."""
    out: list[str] = []
    used = 0
    for tag in tags:
        clean = post_text(tag, 100).lstrip("#").replace(",", " ").strip()
        cost = len(clean) + (2 if " " in clean else 0) + (1 if out else 0)
        if not clean or clean.lower() in {t.lower() for t in out} or used + cost > total:
            continue
        out.append(clean)
        used += cost
    return out
