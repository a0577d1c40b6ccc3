"""OpenAI moderation: ``POST {base}/moderations`` with omni-moderation (text and images).

Text goes as a plain string; with an image, the input is the multi-modal list
``[{"type": "text", ...}, {"type": "image_url", "image_url": {"url": "data:..."}}]``.
The answer's ``results`` become one `ModerationVerdict` (flagged if any result is,
reasons = the flagged category names, scores = the highest score per category).
"""

from __future__ import annotations

import base64
from typing import Any

from reelforge.lib.moderation.verdict import ModerationVerdict
from reelforge.lib.providers.errors import InvalidResponseError
from reelforge.lib.providers.http import ProviderHttp

DEFAULT_MODEL = "omni-moderation-latest"


def data_url(image: bytes) -> str:
    """An encoded image as a data URL (PNG, JPEG, WebP or GIF by its magic bytes)."""
    if image.startswith(b"\x89PNG"):
        mime = "image/png"
    elif image.startswith(b"\xff\xd8"):
        mime = "image/jpeg"
    elif image[8:12] == b"WEBP":
        mime = "image/webp"
    elif image.startswith(b"GIF8"):
        mime = "image/gif"
    else:
        raise ValueError("image must be PNG, JPEG, WebP or GIF bytes")
    return f"data:{mime};base64,{base64.b64encode(image).decode('ascii')}"


def moderation_input(text: str, image: bytes | None = None) -> str | list[dict[str, Any]]:
    if image is None:
        return text
    parts: list[dict[str, Any]] = [{"type": "text", "text": text}] if text else []
    return [*parts, {"type": "image_url", "image_url": {"url": data_url(image)}}]


def verdict_from(data: Any, provider: str) -> ModerationVerdict:
    """Read an OpenAI moderation answer (raises InvalidResponseError if it is not one)."""
    results = data.get("results") if isinstance(data, dict) else None
    if not isinstance(results, list) or not results:
        raise InvalidResponseError(provider, "no results in the moderation answer", retryable=True)
    flagged, reasons, scores = False, [], {}
    for result in results:
        if not isinstance(result, dict):
            raise InvalidResponseError(provider, "malformed moderation result", retryable=True)
        categories = result.get("categories") or {}
        category_scores = result.get("category_scores") or {}
        if not isinstance(categories, dict) or not isinstance(category_scores, dict):
            raise InvalidResponseError(provider, "malformed moderation result", retryable=True)
        flagged = flagged or bool(result.get("flagged"))
        for name, hit in categories.items():
            if hit and name not in reasons:
                reasons.append(str(name))
        for name, score in category_scores.items():
            if isinstance(score, bool) or not isinstance(score, int | float) or score != score:
                raise InvalidResponseError(provider, f"score of {name!r} is not a number")
            scores[str(name)] = max(float(score), scores.get(str(name), 0.0))
    return ModerationVerdict(flagged, reasons, scores, provider)


class OpenAIModeration:
    """The moderation endpoint of an OpenAI-compatible API (Bearer key on the client)."""

    def __init__(self, http: ProviderHttp, model: str = DEFAULT_MODEL) -> None:
        self.http, self.model = http, model
        self.provider = http.provider

    def moderate(self, text: str, image: bytes | None = None) -> ModerationVerdict:
        """Moderate `text`, with one image (PNG/JPEG/WebP/GIF bytes) if given."""
        body = {"model": self.model, "input": moderation_input(text, image)}
        return verdict_from(self.http.json("POST", "moderations", json=body), self.provider)
