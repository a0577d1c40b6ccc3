"""Image models over HTTP: OpenAI Images, Stability (Stable Image Core) and fal.ai's queue.

Each client turns a `ShotPrompt` into the bytes of one picture, checked with Pillow before
it is handed back (a provider that answers with anything else raises InvalidResponseError,
so garbage is never booked or paid for twice). `fit` then makes any picture the exact
render size. Result links (OpenAI's `url`, fal's CDN files) are fetched without our key:
they live on other hosts, which must never see it.
"""

from __future__ import annotations

import base64
import binascii
import io
import time
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

import httpx
from PIL import Image, ImageOps

from reelforge.lib.prompt_optimizer import ShotPrompt, with_negative
from reelforge.lib.providers.errors import InvalidResponseError, ProviderError
from reelforge.lib.providers.http import ProviderHttp
from reelforge.lib.providers.jobs import Clock, PollSettings, Sleep, poll, same_host

ASPECTS = ("9:16", "16:9", "1:1")
_SUFFIX = {"PNG": ".png", "JPEG": ".jpg", "WEBP": ".webp"}
# Stability's seed field accepts 0 .. 4294967294.
_SEED_SPAN = 4_294_967_295


@dataclass(frozen=True)
class Picture:
    """One generated picture as the provider delivered it (already known to decode)."""

    data: bytes
    suffix: str
    width: int
    height: int


class ImageModel(Protocol):
    provider: str
    model: str
    http: ProviderHttp

    def size_for(self, aspect: str) -> str: ...

    def generate(self, shot: ShotPrompt, aspect: str, seed: int) -> Picture: ...


def check_image(provider: str, data: bytes, *, retryable: bool = False) -> Picture:
    """`data` if Pillow can decode it as a picture; InvalidResponseError otherwise."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            fmt, (width, height) = image.format or "", image.size
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise InvalidResponseError(
            provider, f"answered with something that is not an image ({len(data)} bytes)",
            retryable=retryable,
        ) from None  # fmt: skip
    return Picture(data, _SUFFIX.get(fmt, ".img"), width, height)


def fit(data: bytes, size: tuple[int, int]) -> Image.Image:
    """An RGB image of exactly `size`: scaled to cover it, centre-cropped (no bars)."""
    with Image.open(io.BytesIO(data)) as image:
        rgb = image.convert("RGB")
    if rgb.size == size:
        return rgb
    return ImageOps.fit(rgb, size, method=Image.Resampling.LANCZOS, centering=(0.5, 0.5))


# What each protocol is asked for per aspect: OpenAI's sizes, Stability's aspect_ratio,
# fal's explicit width x height (multiples of 16 near one megapixel).
MODEL_SIZES = {
    "openai": {"9:16": "1024x1536", "16:9": "1536x1024", "1:1": "1024x1024"},
    "stability": {a: a for a in ASPECTS},
    "fal": {"9:16": "864x1536", "16:9": "1536x864", "1:1": "1024x1024"},
}


def model_size(protocol: str, aspect: str) -> str:
    """The size (or aspect ratio) a `protocol` model is asked for to fill `aspect`."""
    if aspect not in ASPECTS:
        raise ValueError(f"aspect {aspect!r} is not one of {', '.join(ASPECTS)}")
    if protocol not in MODEL_SIZES:
        raise ProviderError(protocol, f"no image client for protocol {protocol!r}")
    return MODEL_SIZES[protocol][aspect]


def fetch_image(http: ProviderHttp, url: str, *, sleep: Sleep = time.sleep) -> Picture:
    """Download a result link (without the key), retrying faults and undecodable bodies."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise InvalidResponseError(http.provider, "answered with a result link that is not HTTP")
    fetcher = ProviderHttp(http.provider, "", {}, http.settings, http.breaker, sleep)
    try:
        return fetcher.parsed(
            "GET", url, lambda r: check_image(http.provider, r.content, retryable=True)
        )
    finally:
        fetcher.close()


class OpenAIImages:
    """POST {base}/images/generations: gpt-image-1 answers b64_json; DALL·E may answer url."""

    def __init__(self, http: ProviderHttp, model: str, sleep: Sleep = time.sleep) -> None:
        self.http, self.model, self._sleep = http, model, sleep
        self.provider = http.provider

    def size_for(self, aspect: str) -> str:
        return model_size("openai", aspect)

    def generate(self, shot: ShotPrompt, aspect: str, seed: int) -> Picture:
        # The Images API takes no seed or negative prompt: what to avoid goes in the prompt.
        body = {"model": self.model, "prompt": with_negative(shot),
                "size": self.size_for(aspect), "n": 1}  # fmt: skip
        data = self.http.json("POST", "images/generations", json=body)
        try:
            item: dict[str, Any] = data["data"][0]
        except (KeyError, IndexError, TypeError):
            raise InvalidResponseError(self.provider, "no image in the answer") from None
        if not isinstance(item, dict):
            raise InvalidResponseError(self.provider, "the image entry is not an object")
        if item.get("b64_json"):
            try:
                raw = base64.b64decode(item["b64_json"], validate=True)
            except (binascii.Error, ValueError, TypeError):
                raise InvalidResponseError(self.provider, "b64_json is not base64") from None
            return check_image(self.provider, raw)
        if item.get("url"):
            return fetch_image(self.http, str(item["url"]), sleep=self._sleep)
        raise InvalidResponseError(self.provider, "the image has neither b64_json nor url")


class StabilityImages:
    """POST {base}/v2beta/stable-image/generate/core as multipart form; answers PNG bytes."""

    def __init__(self, http: ProviderHttp, model: str) -> None:
        self.http, self.model = http, model
        self.provider = http.provider

    def size_for(self, aspect: str) -> str:
        return model_size("stability", aspect)

    def _parse(self, response: httpx.Response) -> Picture:
        # A 200 can still be a filtered (blurred) picture; it is a refusal, not an image.
        if response.headers.get("finish-reason", "").upper() == "CONTENT_FILTERED":
            raise ProviderError(self.provider, "the picture was filtered (safety)", safety=True)
        return check_image(self.provider, response.content, retryable=True)

    def generate(self, shot: ShotPrompt, aspect: str, seed: int) -> Picture:
        fields = {"prompt": shot.prompt, "negative_prompt": shot.negative,
                  "aspect_ratio": self.size_for(aspect), "output_format": "png",
                  "seed": str(seed % _SEED_SPAN)}  # fmt: skip
        # (None, value) parts make httpx send multipart/form-data, which the API requires.
        files = {k: (None, v) for k, v in fields.items()}
        return self.http.parsed(
            "POST", "v2beta/stable-image/generate/core", self._parse,
            files=files, headers={"accept": "image/*"},
        )  # fmt: skip


class FalQueue:
    """fal.ai queue: submit, poll the status URL until COMPLETED, read the result, download."""

    PENDING = frozenset({"IN_QUEUE", "IN_PROGRESS"})

    def __init__(
        self,
        http: ProviderHttp,
        model: str,
        poll_settings: PollSettings | None = None,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
    ) -> None:
        self.http, self.model = http, model
        self.provider = http.provider
        self.poll_settings = poll_settings or PollSettings(interval=1.0, deadline=300.0)
        self._clock, self._sleep = clock, sleep

    def size_for(self, aspect: str) -> str:
        return model_size("fal", aspect)

    def _url(self, answer: dict[str, Any], key: str, fallback: str) -> str:
        url = str(answer.get(key) or fallback)
        # Our key goes with these requests: only ever to the provider's own host.
        if url.startswith(("http://", "https://")) and not same_host(
            url, str(self.http.client.base_url)
        ):
            raise InvalidResponseError(self.provider, f"{key} points at another host")
        return url

    def generate(self, shot: ShotPrompt, aspect: str, seed: int) -> Picture:
        width, height = map(int, self.size_for(aspect).split("x"))
        body = {"prompt": with_negative(shot), "image_size": {"width": width, "height": height},
                "seed": seed % _SEED_SPAN, "num_images": 1}  # fmt: skip
        submitted = self.http.json("POST", self.model, json=body)
        job = str(submitted.get("request_id", "")) if isinstance(submitted, dict) else ""
        if not job:
            raise InvalidResponseError(self.provider, "the queue returned no request_id")
        base = f"{self.model}/requests/{job}"
        status_url = self._url(submitted, "status_url", f"{base}/status")
        response_url = self._url(submitted, "response_url", base)

        def check() -> bool | None:
            state = self.http.json("GET", status_url)
            status = state.get("status") if isinstance(state, dict) else None
            if status == "COMPLETED":
                return True
            if status in self.PENDING:
                return None
            raise ProviderError(self.provider, f"job {job} ended with status {status!r}")

        poll(self.provider, job, check, self.poll_settings, clock=self._clock, sleep=self._sleep)
        result = self.http.json("GET", response_url)
        if not isinstance(result, dict):
            raise InvalidResponseError(self.provider, "the job's result is not an object")
        nsfw = result.get("has_nsfw_concepts") or []
        if any(nsfw if isinstance(nsfw, list) else [nsfw]):
            raise ProviderError(self.provider, "the picture was flagged (safety)", safety=True)
        try:
            url = str(result["images"][0]["url"])
        except (KeyError, IndexError, TypeError):
            raise InvalidResponseError(self.provider, "no image in the job's result") from None
        return fetch_image(self.http, url, sleep=self._sleep)


def client_for(
    protocol: str,
    http: ProviderHttp,
    model: str,
    poll_settings: PollSettings | None = None,
    sleep: Sleep = time.sleep,
) -> ImageModel:
    """The image client speaking `protocol` (the registry's name for it)."""
    if protocol == "openai":
        return OpenAIImages(http, model, sleep)
    if protocol == "stability":
        return StabilityImages(http, model)
    if protocol == "fal":
        return FalQueue(http, model, poll_settings, sleep=sleep)
    raise ProviderError(http.provider, f"no image client for protocol {protocol!r}")
