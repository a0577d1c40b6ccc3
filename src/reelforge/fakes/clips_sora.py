"""Fake OpenAI videos API (Sora): create (multipart, with the input reference), poll, content.

Shares the job table and options of `reelforge.fakes.clips` (see there).
"""

from __future__ import annotations

import email.parser
import email.policy
import io
from typing import Any

from PIL import Image

from reelforge.fakes.clips import Jobs, error, jobs_of, mp4_response
from reelforge.fakes.server import FakeServer, Request, Response, Router


def _form(req: Request) -> dict[str, Any]:
    """multipart/form-data fields: text as str, files as bytes."""
    head = f"Content-Type: {req.headers.get('content-type', '')}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + req.body)
    fields: dict[str, Any] = {}
    for part in message.iter_parts() if message.is_multipart() else []:
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True) or b""
        fields[str(name)] = data if part.get_filename() else data.decode()
    return fields


def register(router: Router, server: FakeServer) -> None:
    jobs: Jobs = jobs_of(server)
    sizes = {"720x1280", "1280x720", "1024x1792", "1792x1024"}

    def create(req: Request) -> Response:
        if not req.headers.get("authorization", "").startswith("Bearer "):
            return error(401, "Incorrect API key provided")
        form = _form(req)
        size, seconds = str(form.get("size", "720x1280")), str(form.get("seconds", "4"))
        if not form.get("prompt") or size not in sizes or seconds not in ("4", "8", "12"):
            return error(400, "Invalid value for prompt, size or seconds")
        reference = form.get("input_reference")
        if isinstance(reference, bytes):
            with Image.open(io.BytesIO(reference)) as img:
                if f"{img.width}x{img.height}" != size:
                    return error(400, "Inpaint image must match the requested width and height")
        w, h = map(int, size.split("x"))
        vid = jobs.submit("video_", int(seconds), portrait=h > w)
        return Response.of_json({"id": vid, "object": "video", "model": form.get("model"),
                                 "status": "queued", "progress": 0, "size": size,
                                 "seconds": seconds})  # fmt: skip

    def poll(req: Request) -> Response:
        vid = req.params["vid"]
        job = jobs.advance(vid)
        if job is None:
            return error(404, "Video not found")
        body: dict[str, Any] = {"id": vid, "object": "video", "progress": 50}
        if not job["done"]:
            body["status"] = "queued" if job["polls"] == 1 else "in_progress"
        elif job["safety"]:
            body["status"] = "failed"
            body["error"] = {
                "code": "moderation_blocked",
                "message": "Your request was blocked by our moderation system.",
            }
        else:
            body.update(status="completed", progress=100)
        return Response.of_json(body)

    def content(req: Request) -> Response:
        if not req.headers.get("authorization", "").startswith("Bearer "):
            return error(401, "Incorrect API key provided")
        job = jobs.jobs.get(req.params["vid"])
        if job is None or not job.get("done") or job["safety"]:
            return error(404, "Video not found")
        if job["expired"]:
            return error(404, "The video content has expired")
        return mp4_response(jobs.video(req.params["vid"]))

    router.add("sora.create", "POST", "/openai/v1/videos", create)
    router.add("sora.poll", "GET", "/openai/v1/videos/{vid}", poll)
    router.add("sora.content", "GET", "/openai/v1/videos/{vid}/content", content, billable=True)
