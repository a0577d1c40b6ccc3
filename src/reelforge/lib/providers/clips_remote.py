"""Image-to-video clients: fal.ai's queue, Google Veo (Gemini API) and OpenAI videos (Sora).

Each one submits the still and the prompt, polls the job (`jobs.poll`), and downloads the
finished MP4 at once into a local file (`jobs.download`). Providers take only a few fixed
clip lengths and sizes, so a request is rounded up to the next length they offer (the
renderer trims or holds the last frame) and to the smallest resolution tier that covers the
render size. A safety refusal is `ProviderError(safety=True)`; a job still pending at the
deadline, a failed job or an expired link are final failures; none of them costs anything.
"""

from __future__ import annotations

import base64
import time
from pathlib import Path
from typing import Any, ClassVar

from reelforge.lib.providers.clip_spec import (
    ClipRequest,
    ClipResult,
    ClipSpec,
    image_bytes,
    is_safety,
    pick_seconds,
    pick_tier,
)
from reelforge.lib.providers.errors import InvalidResponseError, ProviderError
from reelforge.lib.providers.http import ProviderHttp
from reelforge.lib.providers.jobs import Clock, PollSettings, Sleep, download, poll


class _Client:
    """Shared plumbing: HTTP with the provider's retry policy, polling and download settings."""

    seconds_offered: tuple[int, ...] = (4, 8)
    tiers: tuple[str, ...] = ("720p",)

    def __init__(
        self,
        http: ProviderHttp,
        model: str,
        settings: PollSettings | None = None,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
    ) -> None:
        self.http, self.model = http, model
        self.provider = http.provider
        self.settings = settings or PollSettings()
        self.clock, self.sleep = clock, sleep

    def spec(self, request: ClipRequest) -> ClipSpec:
        return ClipSpec(
            pick_seconds(request.seconds, self.seconds_offered),
            pick_tier(request.width, request.height, self.tiers),
        )

    def _poll(self, job: str, check: Any) -> Any:
        return poll(self.provider, job, check, self.settings, clock=self.clock, sleep=self.sleep)

    def _download(self, url: str, dest: Path, authenticated: bool = True) -> Path:
        return download(self.http, url, dest, attempts=self.settings.download_attempts,
                        authenticated=authenticated, sleep=self.sleep)  # fmt: skip

    def _bad(self, what: str) -> InvalidResponseError:
        return InvalidResponseError(self.provider, what)


class FalVideo(_Client):
    """fal.ai queue: POST {base}/{model} → status_url / response_url → {"video": {"url"}}."""

    seconds_offered = (5, 10)
    tiers = ("480p", "720p", "1080p")

    def generate(self, request: ClipRequest, dest: Path) -> ClipResult:
        spec = self.spec(request)
        png, mime = image_bytes(request.still)
        body = {
            "prompt": request.prompt,
            "image_url": f"data:{mime};base64,{base64.b64encode(png).decode()}",
            "duration": str(spec.seconds),
        }
        job = self.http.json("POST", self.model, json=body)
        try:
            rid, status_url, response_url = (
                job["request_id"], job["status_url"], job["response_url"]
            )  # fmt: skip
        except (KeyError, TypeError):
            raise self._bad("the queue answered without request_id/status_url") from None

        def check() -> bool | None:
            state = self.http.json("GET", status_url)
            status = str(state.get("status", "")) if isinstance(state, dict) else ""
            if status == "COMPLETED":
                return True
            if status in ("IN_QUEUE", "IN_PROGRESS"):
                return None
            error = state.get("error") if isinstance(state, dict) else None
            raise ProviderError(self.provider, f"job {rid} failed: {str(error or status)[:200]}",
                                safety=is_safety(str(error)))  # fmt: skip

        self._poll(rid, check)
        try:
            result = self.http.json("GET", response_url)
        except ProviderError as exc:
            if exc.status == 422 and is_safety(str(exc)):
                raise ProviderError(self.provider, f"job {rid} refused (content policy)",
                                    status=422, safety=True) from None  # fmt: skip
            raise
        try:
            url = result["video"]["url"]
        except (KeyError, TypeError):
            raise self._bad(f"job {rid} finished without a video url") from None
        # fal's result files live on its CDN: the key is never sent there.
        self._download(url, dest, authenticated=False)
        return ClipResult(dest, spec, rid)


class VeoVideo(_Client):
    """Gemini API: POST models/{model}:predictLongRunning → poll the operation → video uri."""

    seconds_offered = (4, 6, 8)
    tiers = ("720p", "1080p")

    def generate(self, request: ClipRequest, dest: Path) -> ClipResult:
        spec = self.spec(request)
        png, mime = image_bytes(request.still)
        parameters: dict[str, Any] = {
            "aspectRatio": "9:16" if request.height > request.width else "16:9",
            "durationSeconds": spec.seconds,
        }
        if spec.resolution != "720p":  # older models reject the field; 720p is the default
            parameters["resolution"] = spec.resolution
        image = {"bytesBase64Encoded": base64.b64encode(png).decode(), "mimeType": mime}
        body = {"instances": [{"prompt": request.prompt, "image": image}],
                "parameters": parameters}  # fmt: skip
        started = self.http.json("POST", f"models/{self.model}:predictLongRunning", json=body)
        name = started.get("name") if isinstance(started, dict) else None
        if not name:
            raise self._bad("no operation name in the answer")

        def check() -> dict[str, Any] | None:
            op = self.http.json("GET", name)
            if not isinstance(op, dict) or not op.get("done"):
                return None
            if op.get("error"):
                message = str(op["error"].get("message", op["error"]))[:200]
                raise ProviderError(self.provider, f"operation failed: {message}",
                                    safety=is_safety(message))  # fmt: skip
            return op.get("response") or {}

        response = self._poll(name.rsplit("/", 1)[-1], check)
        answer = response.get("generateVideoResponse") or {}
        samples = answer.get("generatedSamples") or []
        if not samples:
            reasons = "; ".join(map(str, answer.get("raiMediaFilteredReasons") or []))[:200]
            if reasons or answer.get("raiMediaFilteredCount"):
                raise ProviderError(self.provider, f"video filtered (safety): {reasons}",
                                    safety=True)  # fmt: skip
            raise self._bad("the operation finished without a video")
        try:
            uri = samples[0]["video"]["uri"]
        except (KeyError, TypeError):
            raise self._bad("the sample has no video uri") from None
        self._download(uri, dest)  # the files API wants the key (sent to Google's host only)
        return ClipResult(dest, spec, name)


class SoraVideo(_Client):
    """OpenAI videos: POST {base}/videos (multipart) → GET videos/{id} → videos/{id}/content."""

    seconds_offered = (4, 8, 12)
    tiers = ("720p", "1080p")
    _SIZES: ClassVar[dict[str, tuple[int, int]]] = {"720p": (720, 1280), "1080p": (1024, 1792)}

    def spec(self, request: ClipRequest) -> ClipSpec:
        spec = super().spec(request)
        # Only the pro model renders the larger size.
        return spec if "pro" in self.model else ClipSpec(spec.seconds, "720p")

    def generate(self, request: ClipRequest, dest: Path) -> ClipResult:
        spec = self.spec(request)
        short, long = self._SIZES[spec.resolution]
        size = (short, long) if request.height > request.width else (long, short)
        # The input reference must have exactly the video's size.
        png, mime = image_bytes(request.still, size)
        form = {"model": self.model, "prompt": request.prompt,
                "seconds": str(spec.seconds), "size": f"{size[0]}x{size[1]}"}  # fmt: skip
        try:
            job = self.http.json("POST", "videos", data=form,
                                 files={"input_reference": ("still.png", png, mime)})  # fmt: skip
        except ProviderError as exc:
            if exc.status == 400 and is_safety(str(exc)):
                raise ProviderError(self.provider, "request refused (moderation)",
                                    status=400, safety=True) from None  # fmt: skip
            raise
        vid = job.get("id") if isinstance(job, dict) else None
        if not vid:
            raise self._bad("no video id in the answer")

        def check() -> bool | None:
            state = self.http.json("GET", f"videos/{vid}")
            status = state.get("status") if isinstance(state, dict) else None
            if status == "completed":
                return True
            if status in ("queued", "in_progress"):
                return None
            error = state.get("error") if isinstance(state, dict) else None
            detail = str((error or {}).get("code", "")) + " " + str((error or {}).get("message"))
            raise ProviderError(self.provider, f"video {vid} {status}: {detail.strip()[:200]}",
                                safety=is_safety(detail))  # fmt: skip

        self._poll(vid, check)
        self._download(f"{str(self.http.client.base_url).rstrip('/')}/videos/{vid}/content", dest)
        return ClipResult(dest, spec, vid)


# By protocol (the registry's ProviderSpec.protocol of each provider with a "clips" model).
CLIENTS: dict[str, type[_Client]] = {"fal": FalVideo, "veo": VeoVideo, "openai": SoraVideo}
