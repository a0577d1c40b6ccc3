"""Fake image models: OpenAI Images, Stability (Stable Image Core) and fal.ai's queue.

Routes follow the public protocols; base URLs: OpenAI ``{fake}/openai/v1``, Stability
``{fake}/stability``, fal ``{fake}/fal``. Pictures are real: the local artist draws the
prompt, small (an eighth of the requested size) so tests stay fast; clients scale them.
A fal job completes after ``images.fal_polls`` status polls (default 2). Options
(``/_admin/faults``)::

    {"options": {"images.refuse": true | ["openai", "stability", "fal"],
                 "images.pending": true, "images.fal_polls": 3,
                 "images.url": true, "images.garbage": true}}

refuse: a safety refusal in each provider's own form; pending: fal jobs never finish; url:
OpenAI answers a download link instead of b64_json; garbage: bytes that are not a picture.
Billable routes (one success = one paid picture): openai.images, stability.images, fal.submit.
Video models under ``/fal/<owner>/<app>-video/...`` belong to the clips fake.
"""

from __future__ import annotations

import base64
import email.parser
import email.policy
import io
import itertools
import threading
from typing import Any

from reelforge.fakes.server import FakeServer, Request, Response, Router
from reelforge.lib.artist import draw_scene

_ids = itertools.count(1)
_SHRINK = 8
GARBAGE = b"<html>this is not a picture</html>"
STABILITY_SIZES = {"9:16": (108, 192), "16:9": (192, 108), "1:1": (144, 144)}


def picture(prompt: str, width: int, height: int, seed: int = 0) -> bytes:
    """A PNG the local artist draws for `prompt` at 1/8 of the asked size (at least 16 px)."""
    w, h = max(16, width // _SHRINK), max(16, height // _SHRINK)
    image = draw_scene(prompt=prompt[:2000], genre="", width=w, height=h, seed=seed)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _png(data: bytes) -> Response:
    return Response(200, data, {"Content-Type": "image/png"})


def _form(req: Request) -> dict[str, str] | None:
    """multipart/form-data text fields, or None when the body is not multipart."""
    head = f"Content-Type: {req.headers.get('content-type', '')}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + req.body)
    if not message.is_multipart():
        return None
    return {
        str(part.get_param("name", header="content-disposition")): (
            part.get_payload(decode=True) or b""
        ).decode()
        for part in message.iter_parts()
    }


class _State:
    """Pictures waiting to be downloaded and fal jobs, with the options at submission."""

    def __init__(self, server: FakeServer) -> None:
        self.server = server
        self.lock = threading.Lock()
        self.files: dict[str, bytes] = {}
        self.jobs: dict[str, dict[str, Any]] = {}

    def option(self, name: str) -> Any:
        return self.server.faults.options.get(f"images.{name}")

    def refuses(self, provider: str) -> bool:
        refuse = self.option("refuse")
        return refuse is True or (isinstance(refuse, list) and provider in refuse)

    def store(self, data: bytes) -> str:
        name = f"img-{next(_ids):06d}.png"
        with self.lock:
            self.files[name] = data
        return name

    def image(self, prompt: str, width: int, height: int, seed: int = 0) -> bytes:
        return GARBAGE if self.option("garbage") else picture(prompt, width, height, seed)


def _register_openai(router: Router, st: _State) -> None:
    sizes = {"1024x1024", "1024x1536", "1536x1024", "1024x1792", "1792x1024", "auto"}

    def generate(req: Request) -> Response:
        if not req.headers.get("authorization", "").startswith("Bearer "):
            return Response.of_json({"error": {"message": "Incorrect API key provided"}}, 401)
        body = req.json() or {}
        size = str(body.get("size", "1024x1024"))
        if not body.get("prompt") or size not in sizes or int(body.get("n", 1)) != 1:
            error = {"message": "Invalid prompt, size or n", "type": "invalid_request_error"}
            return Response.of_json({"error": error}, 400)
        if st.refuses("openai"):
            message = "Your request was rejected as a result of our safety system."
            error = {"code": "content_policy_violation", "message": message}
            return Response.of_json({"error": error}, 400)
        w, h = (1024, 1024) if size == "auto" else map(int, size.split("x"))
        data = st.image(str(body["prompt"]), w, h)
        if st.option("url"):
            item = {"url": f"{req.base_url}/openai/files/images/{st.store(data)}"}
        else:
            item = {"b64_json": base64.b64encode(data).decode()}
        return Response.of_json({"created": 1, "data": [item]})

    def download(req: Request) -> Response:
        data = st.files.get(req.params["name"])
        return _png(data) if data else Response(404, b"Not Found")

    router.add("openai.images", "POST", "/openai/v1/images/generations", generate, billable=True)
    router.add("openai.download", "GET", "/openai/files/images/{name}", download)


def _register_stability(router: Router, st: _State) -> None:
    def generate(req: Request) -> Response:
        if not req.headers.get("authorization", "").startswith("Bearer "):
            return Response.of_json({"name": "unauthorized", "errors": ["bad key"]}, 401)
        form = _form(req)
        aspect = (form or {}).get("aspect_ratio", "1:1")
        if not form or not form.get("prompt") or aspect not in STABILITY_SIZES:
            errors = ["multipart/form-data with prompt and a valid aspect_ratio is required"]
            return Response.of_json({"name": "bad_request", "errors": errors}, 400)
        if "image/" not in req.headers.get("accept", ""):
            return Response.of_json({"name": "bad_request", "errors": ["accept image/*"]}, 400)
        if st.refuses("stability"):
            errors = ["Your request was flagged by our content moderation system."]
            return Response.of_json({"name": "content_moderation", "errors": errors}, 403)
        w, h = STABILITY_SIZES[aspect]
        seed = int(form.get("seed") or 0)
        data = st.image(form["prompt"], w * _SHRINK, h * _SHRINK, seed)
        return Response(200, data, {"Content-Type": "image/png", "finish-reason": "SUCCESS",
                                    "seed": str(seed)})  # fmt: skip

    path = "/stability/v2beta/stable-image/generate/core"
    router.add("stability.images", "POST", path, generate, billable=True)


def _register_fal(router: Router, st: _State) -> None:
    def submit(req: Request) -> Response:
        if not req.headers.get("authorization", "").startswith("Key "):
            return Response.of_json({"detail": "No user found for Key"}, 401)
        model, body = req.params["model"], req.json() or {}
        size = body.get("image_size") or {}
        if "-video" in model or not body.get("prompt") or not isinstance(size, dict):
            return Response.of_json({"detail": "prompt and image_size are required"}, 422)
        rid = f"fal-img-{next(_ids):06d}"
        with st.lock:
            st.jobs[rid] = {
                "prompt": str(body["prompt"]), "seed": int(body.get("seed") or 0),
                "width": int(size.get("width", 1024)), "height": int(size.get("height", 1024)),
                "polls": 0, "need": int(st.option("fal_polls") or 2),
                "pending": bool(st.option("pending")), "refuse": st.refuses("fal"),
            }  # fmt: skip
        base = f"{req.base_url}/fal/{model}/requests/{rid}"
        return Response.of_json({"request_id": rid, "status_url": f"{base}/status",
                                 "response_url": base, "cancel_url": f"{base}/cancel"})  # fmt: skip

    def status(req: Request) -> Response:
        with st.lock:
            job = st.jobs.get(req.params["rid"])
            if job is None:
                return Response.of_json({"detail": "Request not found"}, 404)
            job["polls"] += 1
            job["done"] = not job["pending"] and job["polls"] >= job["need"]
        state = "COMPLETED" if job["done"] else "IN_QUEUE" if job["polls"] == 1 else "IN_PROGRESS"
        return Response.of_json({"status": state, "request_id": req.params["rid"]})

    def result(req: Request) -> Response:
        rid = req.params["rid"]
        job = st.jobs.get(rid)
        if job is None or not job.get("done"):
            return Response.of_json({"detail": "Request is still in progress"}, 400)
        w, h = max(16, job["width"] // _SHRINK), max(16, job["height"] // _SHRINK)
        url = f"{req.base_url}/fal/files/{rid}.png"
        return Response.of_json({
            "images": [{"url": url, "width": w, "height": h, "content_type": "image/png"}],
            "seed": job["seed"], "has_nsfw_concepts": [job["refuse"]], "prompt": job["prompt"],
        })  # fmt: skip

    def download(req: Request) -> Response:
        job = st.jobs.get(req.params["rid"])
        if job is None or not job.get("done"):
            return Response.of_json({"detail": "Not Found"}, 404)
        if req.headers.get("authorization"):
            st.server.count("fal.download.with_key")  # a CDN must never see the key
        return _png(st.image(job["prompt"], job["width"], job["height"], job["seed"]))

    router.add("fal.status", "GET", "/fal/{model:path}/requests/{rid}/status", status)
    router.add("fal.result", "GET", "/fal/{model:path}/requests/{rid}", result)
    router.add("fal.download", "GET", "/fal/files/{rid}.png", download)
    # Registered after the clips fake's `/fal/<owner>/<app>-video/...` (modules load sorted).
    router.add("fal.submit", "POST", "/fal/{model:path}", submit, billable=True)


def register(router: Router, server: FakeServer) -> None:
    st = server.state.setdefault("images", _State(server))
    _register_openai(router, st)
    _register_stability(router, st)
    _register_fal(router, st)
