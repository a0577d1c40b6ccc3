"""Fake Instagram Graph API: Reels content publishing and media insights, as documented.

Base URL ``{fake}/instagram`` (in place of ``https://graph.facebook.com``), any version
segment (``/instagram/v21.0/...``). Routes: ``POST /{ig-user-id}/media`` (REELS container
from a ``video_url``), ``GET /{container-id}?fields=status_code,status``, ``POST
/{ig-user-id}/media_publish``, ``GET /{ig-user-id}/content_publishing_limit``, ``GET
/{media-id}?fields=permalink``, ``GET /{media-id}/insights``. The access token comes as
``Authorization: Bearer`` or an ``access_token`` parameter.

Like Instagram, the fake downloads ``video_url`` itself (over HTTP, in a thread): a URL that
answers an error (an expired presigned URL: 403) turns the container ERROR. Per account it
records containers and posts with the sha256 of the downloaded bytes:
``GET /_admin/state/instagram``. Options (``/_admin/faults``)::

    {"options": {"instagram.polls": 2,          # status polls before FINISHED
                 "instagram.stuck": true,       # containers stay IN_PROGRESS while set
                 "instagram.expire": ["ID"],    # these containers turn EXPIRED (after 24 h)
                 "instagram.revoked": true,     # OAuthException code 190
                 "instagram.quota_total": 50}}  # posts per rolling 24 h
"""

from __future__ import annotations

import hashlib
import itertools
import secrets
import threading
import time
from typing import Any
from urllib.parse import parse_qs

import httpx

from reelforge.fakes.server import FakeServer, Request, Response, Router

_ids = itertools.count(1)
DAY_S = 24 * 3600


def graph_error(
    status: int, message: str, code: int, kind: str = "OAuthException", subcode: int | None = None
) -> Response:
    error: dict[str, Any] = {"message": message, "type": kind, "code": code,
                             "fbtrace_id": secrets.token_urlsafe(8)}  # fmt: skip
    if subcode is not None:
        error["error_subcode"] = subcode
    return Response.of_json({"error": error}, status)


def insights(media_id: str, seconds: float) -> dict[str, int]:
    seed = int(hashlib.sha256(media_id.encode()).hexdigest()[:8], 16)
    views = int((80 + seed % 300) * (1.0 + max(0.0, seconds) / 3600) ** 0.5)
    return {"views": views, "likes": views // 11, "comments": views // 80,
            "shares": views // 140, "saved": views // 60, "reach": int(views * 0.8)}  # fmt: skip


class InstagramState:
    def __init__(self, server: FakeServer) -> None:
        self.server = server
        self.lock = threading.RLock()
        self.containers: dict[str, dict[str, Any]] = {}
        self.media: dict[str, dict[str, Any]] = {}

    @property
    def options(self) -> dict[str, Any]:
        return self.server.faults.options

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            accounts: dict[str, dict[str, Any]] = {}
            for cid, c in self.containers.items():
                entry = accounts.setdefault(c["user"], {"posts": [], "containers": [], "duplicates": 0})  # fmt: skip  # noqa: E501
                entry["containers"].append(
                    {"id": cid, "status_code": c["status_code"], "polls": c["polls"]}
                )
            for mid, m in self.media.items():
                entry = accounts.setdefault(m["user"], {"posts": [], "containers": [], "duplicates": 0})  # fmt: skip  # noqa: E501
                entry["posts"].append({"id": mid, "sha256": m["sha256"], "caption": m["caption"],
                                       "container": m["container"]})  # fmt: skip
            for entry in accounts.values():
                hashes = [p["sha256"] for p in entry["posts"]]
                entry["duplicates"] = len(hashes) - len(set(hashes))
            return {"accounts": accounts}


def _params(req: Request) -> dict[str, str]:
    """Graph API parameters: query string and form body alike."""
    merged = {k: v[0] for k, v in req.query.items()}
    if req.body and "json" not in req.headers.get("content-type", ""):
        merged.update({k: v[0] for k, v in parse_qs(req.body.decode()).items()})
    elif req.body:
        merged.update({k: str(v) for k, v in (req.json() or {}).items()})
    return merged


def register(router: Router, server: FakeServer) -> None:
    state = InstagramState(server)
    server.state["instagram"] = state

    def authorized(req: Request, params: dict[str, str]) -> Response | None:
        token = req.headers.get("authorization", "").removeprefix("Bearer ").strip()
        token = token or params.get("access_token", "")
        if not token or state.options.get("instagram.revoked"):
            return graph_error(
                400,
                "Error validating access token: The session has been invalidated because the "
                "user changed their password or Facebook has changed the session for security "
                "reasons.",
                190,
                subcode=460,
            )
        return None

    def download(container_id: str, url: str) -> None:
        """What Instagram does with video_url: fetch it (the URL may have expired)."""
        try:
            with httpx.Client(timeout=15, follow_redirects=True) as client:
                response = client.get(url)
            failure = None if response.status_code == 200 else f"HTTP {response.status_code}"
            data = response.content if failure is None else b""
        except httpx.HTTPError as exc:
            failure, data = type(exc).__name__, b""
        with state.lock:
            container = state.containers[container_id]
            container["downloaded"] = True
            if failure is not None or not data:
                container["status_code"] = "ERROR"
                container["status"] = (
                    "Error: Media download has failed. The media URI doesn't meet our "
                    f"requirements ({failure or 'empty body'}). (2207052)"
                )
            else:
                container["sha256"] = hashlib.sha256(data).hexdigest()
                container["bytes"] = len(data)

    def posted_last_day(user: str) -> int:
        now = time.time()
        return sum(1 for m in state.media.values() if m["user"] == user and now - m["at"] < DAY_S)

    def create(req: Request) -> Response:
        params = _params(req)
        if (refused := authorized(req, params)) is not None:
            return refused
        if params.get("media_type") != "REELS":
            return graph_error(400, "This fake takes media_type=REELS only", 100, "GraphMethodException")  # fmt: skip  # noqa: E501
        url = params.get("video_url", "")
        if not url.startswith(("http://", "https://")):
            return graph_error(400, "The parameter video_url is required", 100, "GraphMethodException")  # fmt: skip  # noqa: E501
        if len(params.get("caption", "")) > 2200:
            return graph_error(400, "The caption is longer than 2200 characters", 100, "GraphMethodException")  # fmt: skip  # noqa: E501
        container_id = str(17_900_000_000_000_000 + next(_ids))
        with state.lock:
            state.containers[container_id] = {
                "user": req.params["user"], "status_code": "IN_PROGRESS", "status": "In Progress",
                "polls": 0, "downloaded": False, "caption": params.get("caption", ""),
                "share_to_feed": params.get("share_to_feed", "true"),
            }  # fmt: skip
        threading.Thread(target=download, args=(container_id, url), daemon=True).start()
        return Response.of_json({"id": container_id})

    def node(req: Request) -> Response:
        params = _params(req)
        if (refused := authorized(req, params)) is not None:
            return refused
        node_id = req.params["node"]
        with state.lock:
            container = state.containers.get(node_id)
            if container is not None:
                container["polls"] += 1
                need = int(state.options.get("instagram.polls", 2))
                ready = container["downloaded"] and container["polls"] >= need
                expire = state.options.get("instagram.expire") or []
                if node_id in expire and container["status_code"] != "PUBLISHED":
                    container["status_code"], container["status"] = "EXPIRED", "Expired"
                if (
                    container["status_code"] == "IN_PROGRESS"
                    and ready
                    and not state.options.get("instagram.stuck")
                ):
                    container["status_code"], container["status"] = "FINISHED", "Finished"
                return Response.of_json({"status_code": container["status_code"],
                                         "status": container["status"], "id": node_id})  # fmt: skip
            media = state.media.get(node_id)
            if media is not None:
                link = f"https://www.instagram.com/reel/{media['shortcode']}/"
                return Response.of_json({"id": node_id, "permalink": link,
                                         "media_product_type": "REELS"})  # fmt: skip
        return graph_error(400, f"Unsupported get request. Object with ID '{node_id}' does not exist", 100, "GraphMethodException")  # fmt: skip  # noqa: E501

    def publish(req: Request) -> Response:
        params = _params(req)
        if (refused := authorized(req, params)) is not None:
            return refused
        user = req.params["user"]
        with state.lock:
            container = state.containers.get(params.get("creation_id", ""))
            if container is None or container["user"] != user:
                return graph_error(400, "Invalid parameter: creation_id", 100, "GraphMethodException")  # fmt: skip  # noqa: E501
            if container["status_code"] != "FINISHED":
                return graph_error(400, "The media is not ready for publishing, please wait for a moment", 9007, subcode=2207027, kind="GraphMethodException")  # fmt: skip  # noqa: E501
            total = int(state.options.get("instagram.quota_total", 50))
            if posted_last_day(user) >= total:
                return graph_error(400, "You have reached the maximum number of posts allowed in 24 hours", 9, subcode=2207042, kind="GraphMethodException")  # fmt: skip  # noqa: E501
            media_id = str(18_000_000_000_000_000 + next(_ids))
            state.media[media_id] = {
                "user": user, "sha256": container.get("sha256"), "caption": container["caption"],
                "container": params["creation_id"], "at": time.time(),
                "shortcode": secrets.token_urlsafe(8),
            }  # fmt: skip
            container["status_code"], container["status"] = "PUBLISHED", "Published"
        return Response.of_json({"id": media_id})

    def limit(req: Request) -> Response:
        params = _params(req)
        if (refused := authorized(req, params)) is not None:
            return refused
        with state.lock:
            usage = posted_last_day(req.params["user"])
        total = int(state.options.get("instagram.quota_total", 50))
        return Response.of_json({"data": [{"quota_usage": usage,
                                           "config": {"quota_total": total, "quota_duration": DAY_S}}]})  # fmt: skip  # noqa: E501

    def media_insights(req: Request) -> Response:
        params = _params(req)
        if (refused := authorized(req, params)) is not None:
            return refused
        media_id = req.params["media"]
        with state.lock:
            media = state.media.get(media_id)
        if media is None:
            return graph_error(400, f"Object with ID '{media_id}' does not exist", 100, "GraphMethodException")  # fmt: skip  # noqa: E501
        values = insights(media_id, time.time() - media["at"])
        names = [m for m in params.get("metric", "").split(",") if m]
        unknown = [m for m in names if m not in values]
        if not names or unknown:
            return graph_error(400, f"(#100) metric[0] must be one of the following values: {', '.join(values)}", 100)  # fmt: skip  # noqa: E501
        data = [{"name": m, "period": "lifetime", "values": [{"value": values[m]}],
                 "title": m.title(), "description": "", "id": f"{media_id}/insights/{m}/lifetime"}
                for m in names]  # fmt: skip
        return Response.of_json({"data": data})

    base = "/instagram/{version}"
    router.add("instagram.media.create", "POST", f"{base}/{{user}}/media", create)
    router.add("instagram.media.publish", "POST", f"{base}/{{user}}/media_publish", publish)
    router.add("instagram.publishing_limit", "GET", f"{base}/{{user}}/content_publishing_limit", limit)  # fmt: skip  # noqa: E501
    router.add("instagram.insights", "GET", f"{base}/{{media}}/insights", media_insights)
    router.add("instagram.node", "GET", f"{base}/{{node}}", node)
