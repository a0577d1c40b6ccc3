"""Fake TikTok Content Posting API (Direct Post, FILE_UPLOAD) and video query, as documented.

Base URL ``{fake}/tiktok`` (in place of ``https://open.tiktokapis.com``). The account is the
user the Bearer access token belongs to (any non-empty token names one account). Routes:
``/v2/post/publish/creator_info/query/``, ``/v2/post/publish/video/init/``, the upload URL
it returns (PUT chunks with ``Content-Range``: 206, then 201 on the last),
``/v2/post/publish/status/fetch/`` and ``/v2/video/query/``. Every answer carries
``{"data": ..., "error": {"code": "ok", "message": "", "log_id": ...}}``.

Per publish the fake records bytes received and bytes sent again for a chunk it already
held (``duplicate_bytes``); per account, posts (created at PUBLISH_COMPLETE) with the sha256
of their bytes: ``GET /_admin/state/tiktok``. Options (``/_admin/faults``)::

    {"options": {"tiktok.min_chunk_bytes": 65536,   # default 5 MB, as TikTok's rules
                 "tiktok.polls": 2,                 # status polls before PUBLISH_COMPLETE
                 "tiktok.revoked": true,            # 401 access_token_invalid
                 "tiktok.scope_missing": true,      # 401 scope_not_authorized
                 "tiktok.rate_limited": true,       # init: 429 rate_limit_exceeded
                 "tiktok.daily_cap": 2,             # init: spam_risk_too_many_posts past N
                 "tiktok.cut_chunk": 2,             # Nth chunk PUT: line cut, nothing kept
                 "tiktok.chunk_delay_s": 0.2,       # slow chunk answers (to kill a client)
                 "tiktok.fail": "frame_rate_check_failed"}}  # processing ends FAILED
"""

from __future__ import annotations

import hashlib
import itertools
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from reelforge.fakes.server import FakeServer, Request, Response, Router

MIN_CHUNK = 5 * 1024 * 1024
MAX_CHUNK = 64 * 1024 * 1024
_ids = itertools.count(1)


def answer(data: Any, status: int = 200, code: str = "ok", message: str = "") -> Response:
    log_id = secrets.token_hex(10).upper()
    return Response.of_json(
        {"data": data, "error": {"code": code, "message": message, "log_id": log_id}}, status
    )


def refuse(status: int, code: str, message: str) -> Response:
    return answer({}, status, code, message)


def engagement(post_id: str, seconds: float) -> dict[str, int]:
    seed = int(hashlib.sha256(post_id.encode()).hexdigest()[:8], 16)
    views = int((60 + seed % 240) * (1.0 + max(0.0, seconds) / 3600) ** 0.5)
    return {"view_count": views, "like_count": views // 9, "comment_count": views // 70,
            "share_count": views // 120}  # fmt: skip


@dataclass
class Publish:
    account: str
    size: int
    chunk_size: int
    count: int
    post_info: dict[str, Any]
    upload_token: str
    chunks: dict[int, bytes] = field(default_factory=dict)
    bytes_received: int = 0
    duplicate_bytes: int = 0
    polls: int = 0
    status: str = "PROCESSING_UPLOAD"
    fail_reason: str = ""
    post_id: str | None = None

    def ranges(self) -> list[tuple[int, int]]:
        starts = [i * self.chunk_size for i in range(self.count)]
        return list(zip(starts, [s + self.chunk_size - 1 for s in starts[:-1]] + [self.size - 1], strict=True))  # fmt: skip  # noqa: E501

    def uploaded(self) -> int:
        done = 0
        for index, (_start, end) in enumerate(self.ranges()):
            if index not in self.chunks:
                break
            done = end + 1
        return done

    def view(self) -> dict[str, Any]:
        return {"account": self.account, "size": self.size, "chunk_size": self.chunk_size,
                "total_chunk_count": self.count, "uploaded_bytes": self.uploaded(),
                "bytes_received": self.bytes_received, "duplicate_bytes": self.duplicate_bytes,
                "status": self.status, "post_id": self.post_id,
                "is_aigc": self.post_info.get("is_aigc")}  # fmt: skip


class TikTokState:
    def __init__(self, server: FakeServer) -> None:
        self.server = server
        self.lock = threading.RLock()
        self.publishes: dict[str, Publish] = {}
        self.posts: dict[str, dict[str, Any]] = {}

    @property
    def options(self) -> dict[str, Any]:
        return self.server.faults.options

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            accounts: dict[str, dict[str, Any]] = {}
            for post_id, post in self.posts.items():
                entry = accounts.setdefault(post["account"], {"posts": [], "duplicates": 0})
                entry["posts"].append({"id": post_id, **{k: post[k] for k in ("sha256", "title", "privacy_level", "publish_id")}})  # fmt: skip  # noqa: E501
            for entry in accounts.values():
                hashes = [p["sha256"] for p in entry["posts"]]
                entry["duplicates"] = len(hashes) - len(set(hashes))
            return {
                "accounts": accounts,
                "publishes": {pid: p.view() for pid, p in self.publishes.items()},
                "duplicate_bytes": sum(p.duplicate_bytes for p in self.publishes.values()),
            }


def register(router: Router, server: FakeServer) -> None:
    state = TikTokState(server)
    server.state["tiktok"] = state

    def account(req: Request) -> tuple[str | None, Response | None]:
        auth = req.headers.get("authorization", "")
        token = auth.removeprefix("Bearer ").strip()
        if not auth.startswith("Bearer ") or not token or state.options.get("tiktok.revoked"):
            msg = "The access token is invalid or not found in the request."
            return None, refuse(401, "access_token_invalid", msg)
        if state.options.get("tiktok.scope_missing"):
            return None, refuse(401, "scope_not_authorized", "video.publish is not authorized")
        return token, None

    def creator_info(req: Request) -> Response:
        user, refused = account(req)
        if refused is not None:
            return refused
        return answer({
            "creator_avatar_url": "https://p16.tiktokcdn.example/avatar.jpeg",
            "creator_username": f"user{hashlib.sha256(str(user).encode()).hexdigest()[:6]}",
            "creator_nickname": "reelforge test", "stitch_disabled": False,
            "comment_disabled": False, "duet_disabled": False,
            "privacy_level_options": ["PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "SELF_ONLY"],
            "max_video_post_duration_sec": 600,
        })  # fmt: skip

    def init(req: Request) -> Response:
        user, refused = account(req)
        if refused is not None:
            return refused
        if user is None:  # account() refuses every missing token; -O would drop an assert
            return refuse(401, "access_token_invalid", "no user for this token")
        if state.options.get("tiktok.rate_limited"):
            return refuse(429, "rate_limit_exceeded", "API rate limit was exceeded, try later.")
        body = req.json() or {}
        post_info, source = body.get("post_info") or {}, body.get("source_info") or {}
        cap = state.options.get("tiktok.daily_cap")
        with state.lock:
            posted = sum(1 for p in state.posts.values() if p["account"] == user)
        if cap is not None and posted >= int(cap):
            return refuse(403, "spam_risk_too_many_posts", "The daily post cap is reached.")
        levels = ("PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "SELF_ONLY", "FOLLOWER_OF_CREATOR")
        if post_info.get("privacy_level") not in levels:
            return refuse(400, "privacy_level_option_mismatch", "privacy_level is not valid")
        if len(str(post_info.get("title", ""))) > 2200:
            return refuse(400, "invalid_params", "title is longer than 2200 characters")
        if source.get("source") != "FILE_UPLOAD":
            return refuse(400, "invalid_params", "this fake takes FILE_UPLOAD only")
        try:
            size, chunk, count = (
                int(source[k]) for k in ("video_size", "chunk_size", "total_chunk_count")
            )
        except (KeyError, TypeError, ValueError):
            return refuse(
                400, "invalid_params", "video_size, chunk_size, total_chunk_count required"
            )
        minimum = int(state.options.get("tiktok.min_chunk_bytes", MIN_CHUNK))
        if size < minimum:
            ok = chunk == size and count == 1
        else:
            ok = minimum <= chunk <= MAX_CHUNK and count == size // chunk and count >= 1
        if not ok:
            return refuse(
                400, "invalid_params", "chunk_size/total_chunk_count break the chunk rules"
            )
        publish_id = f"v_pub_file~v2-1.{next(_ids):012d}"
        token = secrets.token_urlsafe(16)
        with state.lock:
            state.publishes[publish_id] = Publish(user, size, chunk, count, post_info, token)
        upload_url = f"{req.base_url}/tiktok/upload/?upload_id={publish_id}&upload_token={token}"
        return answer({"publish_id": publish_id, "upload_url": upload_url})

    def upload(req: Request) -> Response:
        publish_id = req.query.get("upload_id", [""])[0]
        with state.lock:
            publish = state.publishes.get(publish_id)
            if publish is None or req.query.get("upload_token", [""])[0] != publish.upload_token:
                return refuse(404, "invalid_params", "upload_url is not valid or has expired")
            spec = req.headers.get("content-range", "").removeprefix("bytes ")
            try:
                span, total = spec.split("/")
                first, last = (int(x) for x in span.split("-"))
            except ValueError:
                return refuse(
                    400, "invalid_params", "Content-Range: bytes FIRST-LAST/TOTAL required"
                )
            ranges = publish.ranges()
            if int(total) != publish.size or (first, last) not in ranges:
                return refuse(416, "invalid_params", "Content-Range does not match a chunk")
            index = ranges.index((first, last))
            publish.bytes_received += len(req.body)
            if len(req.body) != last - first + 1:
                return refuse(400, "invalid_params", "chunk body size differs from Content-Range")
            cut = int(state.options.get("tiktok.cut_chunk") or 0)
            if cut and server.faults.tick("tiktok.chunk") == cut:
                return Response(drop=True)  # nothing kept: TikTok chunks are all or nothing
            if index > len(publish.chunks):
                return refuse(400, "invalid_params", "chunks must be uploaded in order")
            if index in publish.chunks:
                publish.duplicate_bytes += len(req.body)
            publish.chunks[index] = req.body
            complete = len(publish.chunks) == publish.count
        delay = float(state.options.get("tiktok.chunk_delay_s") or 0.0)
        if delay:
            time.sleep(delay)
        return Response(201 if complete else 206, b"")

    def finish(publish: Publish, publish_id: str) -> None:
        publish.polls += 1
        if publish.uploaded() < publish.size or publish.status != "PROCESSING_UPLOAD":
            return
        if publish.polls < int(state.options.get("tiktok.polls", 2)):
            return
        if state.options.get("tiktok.fail"):
            publish.status, publish.fail_reason = "FAILED", str(state.options["tiktok.fail"])
            return
        data = b"".join(publish.chunks[i] for i in range(publish.count))
        post_id = str(7_300_000_000_000_000_000 + next(_ids))
        state.posts[post_id] = {
            "account": publish.account, "sha256": hashlib.sha256(data).hexdigest(),
            "title": publish.post_info.get("title", ""), "created": time.time(),
            "privacy_level": publish.post_info.get("privacy_level"), "publish_id": publish_id,
        }  # fmt: skip
        publish.status, publish.post_id = "PUBLISH_COMPLETE", post_id

    def status(req: Request) -> Response:
        user, refused = account(req)
        if refused is not None:
            return refused
        publish_id = str((req.json() or {}).get("publish_id", ""))
        with state.lock:
            publish = state.publishes.get(publish_id)
            if publish is None or publish.account != user:
                return refuse(400, "invalid_publish_id", "publish_id does not exist")
            finish(publish, publish_id)
            data: dict[str, Any] = {"status": publish.status, "uploaded_bytes": publish.uploaded()}
            if publish.fail_reason:
                data["fail_reason"] = publish.fail_reason
            if publish.post_id:
                data["publicaly_available_post_id"] = [int(publish.post_id)]
        return answer(data)

    def video_query(req: Request) -> Response:
        user, refused = account(req)
        if refused is not None:
            return refused
        fields = [f for f in req.query.get("fields", [""])[0].split(",") if f]
        ids = ((req.json() or {}).get("filters") or {}).get("video_ids") or []
        if not fields or not ids or len(ids) > 20:
            return refuse(400, "invalid_params", "fields and 1-20 filters.video_ids required")
        videos = []
        with state.lock:
            for vid in map(str, ids):
                post = state.posts.get(vid)
                if post is None or post["account"] != user:
                    continue
                full = {"id": vid, "title": post["title"],
                        **engagement(vid, time.time() - post["created"])}  # fmt: skip
                videos.append({f: full[f] for f in fields if f in full})
        return answer({"videos": videos, "cursor": 0, "has_more": False})

    router.add(
        "tiktok.creator_info", "POST", "/tiktok/v2/post/publish/creator_info/query/", creator_info
    )
    router.add("tiktok.init", "POST", "/tiktok/v2/post/publish/video/init/", init)
    router.add("tiktok.upload", "PUT", "/tiktok/upload/", upload)
    router.add("tiktok.status", "POST", "/tiktok/v2/post/publish/status/fetch/", status)
    router.add("tiktok.video_query", "POST", "/tiktok/v2/video/query/", video_query)
