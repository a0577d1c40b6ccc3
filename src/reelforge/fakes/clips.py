"""Fake image-to-video providers: fal.ai's queue, Google Veo (Gemini API), OpenAI videos (Sora).

Routes follow the public protocols; base URLs: fal ``{fake}/fal`` (video models only: their
app name ends in ``-video``, e.g. ``fal-ai/kling-video/...``; the image routes of the fal fake
are separate), Veo ``{fake}/veo``, OpenAI ``{fake}/openai/v1`` (routes in `clips_sora`).
A job finishes after ``clips.polls`` status polls (default 2) and its result is a real, tiny
MP4 (FFmpeg testsrc2, moving, with a tone). Options (``/_admin/faults``), read when a job is
submitted::

    {"options": {"clips.polls": 3, "clips.safety": true, "clips.safety_every": 2,
                 "clips.pending": true, "clips.expired": true}}

safety: the provider refuses the finished job (safety_every: every Nth job); pending: it never
finishes; expired: the download link answers 403 (Veo) or 404 (fal, OpenAI).
Downloads are the billable routes: a clip is paid for once it is made and fetched.
"""

from __future__ import annotations

import base64
import itertools
import subprocess  # nosec B404 # subprocess runs fixed local tools with argument lists, never a shell
import tempfile
import threading
from pathlib import Path
from typing import Any

from reelforge.fakes.server import FakeServer, Request, Response, Router

_ids = itertools.count(1)
_lock = threading.Lock()
_videos: dict[tuple[int, bool], bytes] = {}


def tinymp4_response(seconds: int, portrait: bool) -> bytes:
    """A real H.264/AAC MP4 with motion (cached: the same clip serves every job alike)."""
    with _lock:
        if (seconds, portrait) in _videos:
            return _videos[(seconds, portrait)]
        size = "72x128" if portrait else "128x72"
        with tempfile.TemporaryDirectory(prefix="fake-clip-") as tmp:
            out = Path(tmp) / "clip.mp4"
            subprocess.run(  # nosec B603, B607 # argument list to ffmpeg with values the fake chose; no shell; ffmpeg is taken from PATH (a system package) like every ffmpeg call here
                ["ffmpeg", "-nostdin", "-v", "error", "-y",
                 "-f", "lavfi", "-i", f"testsrc2=size={size}:rate=15:duration={seconds}",
                 "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
                 "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                 "-c:a", "aac", "-b:a", "32k", "-shortest", "-movflags", "+faststart", str(out)],
                check=True, capture_output=True,
            )  # fmt: skip
            _videos[(seconds, portrait)] = out.read_bytes()
        return _videos[(seconds, portrait)]


def _denied() -> Response:
    return error(403, "Method doesn't allow unregistered callers", status="PERMISSION_DENIED")


def error(http_status: int, message: str, **extra: Any) -> Response:
    body = {"message": message, "code": http_status, **extra}
    return Response.of_json({"error": body}, http_status)


class Jobs:
    """Submitted jobs of every fake video provider, with the options in force at submission."""

    def __init__(self, server: FakeServer) -> None:
        self.server = server
        self.jobs: dict[str, dict[str, Any]] = {}

    def submit(self, prefix: str, seconds: int, portrait: bool) -> str:
        options = self.server.faults.options
        job_id = f"{prefix}{next(_ids):06d}"
        self.jobs[job_id] = {
            "seconds": seconds, "portrait": portrait, "polls": 0,
            "need": int(options.get("clips.polls", 2)),
            "safety": bool(options.get("clips.safety")) or self._every("safety", options),
            "pending": bool(options.get("clips.pending")),
            "expired": bool(options.get("clips.expired")),
        }  # fmt: skip
        return job_id

    def _every(self, what: str, options: dict[str, Any]) -> bool:
        every = int(options.get(f"clips.{what}_every", 0))
        return bool(every) and self.server.faults.tick(f"clips.{what}") % every == 0

    def advance(self, job_id: str) -> dict[str, Any] | None:
        """Count a poll; the job is done once it has been polled `need` times."""
        job = self.jobs.get(job_id)
        if job is not None:
            job["polls"] += 1
            job["done"] = not job["pending"] and job["polls"] >= job["need"]
        return job

    def video(self, job_id: str) -> bytes:
        job = self.jobs[job_id]
        return tinymp4_response(job["seconds"], job["portrait"])


def mp4_response(data: bytes) -> Response:
    return Response(200, data, {"Content-Type": "video/mp4"})


def _register_fal(router: Router, jobs: Jobs) -> None:
    def submit(req: Request) -> Response:
        if not req.headers.get("authorization", "").startswith("Key "):
            return Response.of_json({"detail": "No user found for Key"}, 401)
        body = req.json() or {}
        image = str(body.get("image_url", ""))
        if not body.get("prompt") or not image.startswith(("data:image/", "http")):
            return Response.of_json({"detail": "prompt and image_url are required"}, 422)
        if str(body.get("duration", "5")) not in ("5", "10"):
            return Response.of_json({"detail": "duration must be '5' or '10'"}, 422)
        rid = jobs.submit("fal-", int(body.get("duration", 5)), portrait=True)
        base = f"{req.base_url}/fal/video-jobs/{rid}"
        return Response.of_json({"request_id": rid, "status_url": f"{base}/status",
                                 "response_url": base, "cancel_url": f"{base}/cancel"})  # fmt: skip

    def status(req: Request) -> Response:
        job = jobs.advance(req.params["rid"])
        if job is None:
            return Response.of_json({"detail": "Request not found"}, 404)
        state = "COMPLETED" if job["done"] else "IN_QUEUE" if job["polls"] == 1 else "IN_PROGRESS"
        return Response.of_json({"status": state, "request_id": req.params["rid"]})

    def result(req: Request) -> Response:
        rid = req.params["rid"]
        job = jobs.jobs.get(rid)
        if job is None or not job.get("done"):
            return Response.of_json({"detail": "Request is still in progress"}, 400)
        if job["safety"]:
            detail = [
                {
                    "loc": ["body", "prompt"],
                    "type": "content_policy_violation",
                    "msg": "The content could not be processed (content checker).",
                }
            ]
            return Response.of_json({"detail": detail}, 422)  # fmt: skip
        url = f"{req.base_url}/fal/video-files/{rid}.mp4"
        return Response.of_json({"video": {"url": url, "content_type": "video/mp4"}})

    def file(req: Request) -> Response:
        job = jobs.jobs.get(req.params["rid"])
        if job is None or job["expired"] or not job.get("done"):
            return Response.of_json({"detail": "Not Found"}, 404)
        return mp4_response(jobs.video(req.params["rid"]))

    router.add("fal.video.submit", "POST", "/fal/{owner}/{app}-video/{rest:path}", submit)
    router.add("fal.video.status", "GET", "/fal/video-jobs/{rid}/status", status)
    router.add("fal.video.result", "GET", "/fal/video-jobs/{rid}", result)
    router.add("fal.video.download", "GET", "/fal/video-files/{rid}.mp4", file, billable=True)


def _register_veo(router: Router, jobs: Jobs) -> None:
    def submit(req: Request) -> Response:
        if not req.headers.get("x-goog-api-key"):
            return _denied()
        body = req.json() or {}
        try:
            instance = body["instances"][0]
            base64.b64decode(instance["image"]["bytesBase64Encoded"], validate=True)
            params = body.get("parameters", {})
            seconds = int(params.get("durationSeconds", 8))
            aspect = params.get("aspectRatio", "16:9")
            # Explicit checks, not asserts: python -O would make the fake accept anything.
            if not (instance["prompt"] and instance["image"]["mimeType"].startswith("image/")):
                raise ValueError("prompt and image are required")
            if seconds not in (4, 6, 8) or aspect not in ("16:9", "9:16"):
                raise ValueError("unsupported duration or aspect")
            if params.get("resolution", "720p") not in ("720p", "1080p"):
                raise ValueError("unsupported resolution")
        except (KeyError, IndexError, TypeError, ValueError):
            return error(400, "Request contains an invalid argument.", status="INVALID_ARGUMENT")
        op = jobs.submit("veo-", seconds, portrait=aspect == "9:16")
        return Response.of_json({"name": f"models/{req.params['model']}/operations/{op}"})

    def poll(req: Request) -> Response:
        op, name = req.params["op"], req.path.removeprefix("/veo/")
        job = jobs.advance(op)
        if job is None:
            return error(404, "Operation not found", status="NOT_FOUND")
        if not job["done"]:
            return Response.of_json({"name": name})  # `done` is left out while running
        if job["safety"]:
            answer: dict[str, Any] = {
                "raiMediaFilteredCount": 1,
                "raiMediaFilteredReasons": [
                    "The video could not be generated because it violates our usage guidelines."
                ],
            }
        else:
            uri = f"{req.base_url}/veo/files/{op}:download?alt=media"
            answer = {"generatedSamples": [{"video": {"uri": uri}}]}
        response = {"@type": "type.googleapis.com/google.ai.generativelanguage.v1beta."
                    "PredictLongRunningResponse", "generateVideoResponse": answer}  # fmt: skip
        return Response.of_json({"name": name, "done": True, "response": response})

    def download(req: Request) -> Response:
        if not req.headers.get("x-goog-api-key"):
            return _denied()
        job = jobs.jobs.get(req.params["fid"])
        if job is None:
            return error(404, "File not found", status="NOT_FOUND")
        if job["expired"]:
            return error(403, "The file has expired", status="PERMISSION_DENIED")
        return mp4_response(jobs.video(req.params["fid"]))

    router.add("veo.submit", "POST", "/veo/models/{model}:predictLongRunning", submit)
    router.add("veo.poll", "GET", "/veo/models/{model}/operations/{op}", poll)
    router.add("veo.download", "GET", "/veo/files/{fid}:download", download, billable=True)


def jobs_of(server: FakeServer) -> Jobs:
    """The one job table every fake video provider shares on this server."""
    return server.state.setdefault("clips", Jobs(server))


def register(router: Router, server: FakeServer) -> None:
    jobs = jobs_of(server)
    _register_fal(router, jobs)
    _register_veo(router, jobs)
