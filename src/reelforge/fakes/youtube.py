"""Fake YouTube: Data API v3 (resumable videos.insert, thumbnails, captions, videos.list),
Analytics API v2 reports.query and Google's OAuth token endpoint, as the real client speaks them.

Base URL: ``{fake}/youtube/`` is both discovery documents' ``rootUrl`` (so uploads go to
``/youtube/upload/youtube/v3/...``, the Data API to ``/youtube/youtube/v3/...`` and Analytics
to ``/youtube/v2/reports``); the token endpoint is ``{fake}/youtube/oauth2/token``. A refresh
token names its channel: every access token issued for it posts to that channel's account.

The resumable protocol: POST ``?uploadType=resumable`` with the JSON metadata →
``Location`` session URL → PUT chunks with ``Content-Range: bytes A-B/SIZE`` → 308 with
``Range: bytes=0-N`` until the last byte, then 200 with the video. ``Content-Range: bytes
*/SIZE`` with no body asks for the committed range. A non-final chunk is committed in whole
multiples of 256 KiB, as Google's upload servers do.

Per upload session the fake records bytes received, bytes committed, and bytes received
again although already committed (``duplicate_bytes``), and per channel every video with
the sha256 of its bytes: ``GET /_admin/state/youtube``. Options (``/_admin/faults``)::

    {"options": {"youtube.revoked": true,            # refresh → invalid_grant; tokens → 401
                 "youtube.quota_exceeded": true,     # 403 quotaExceeded on every call
                 "youtube.upload_limit": 2,          # uploadLimitExceeded past N videos/channel
                 "youtube.cut_chunk": 3,             # Nth chunk PUT: commit half, cut the line
                 "youtube.chunk_delay_s": 0.2,       # slow chunk answers (to kill a client)
                 "youtube.processing_polls": 1,      # videos.list calls before "processed"
                 "youtube.forget_sessions": true,    # session URIs answer 404 (expired)
                 "youtube.reject": "duplicate"}}     # uploads end "rejected" with this reason

Scripted faults per route (e.g. ``{"script": {"youtube.upload.put": ["ok", "500"]}}``) give
5xx or dropped connections mid upload without committing the chunk.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import hashlib
import itertools
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from reelforge.fakes.server import FakeServer, Request, Response, Router

CHUNK_GRANULARITY = 256 * 1024
_RANGE = re.compile(r"^bytes (?:(\d+)-(\d+)|\*)/(\d+|\*)$")
_ids = itertools.count(1)


def google_error(status: int, reason: str, message: str, domain: str = "youtube") -> Response:
    """A Google API error body (`error.errors[].reason` is what clients branch on)."""
    body = {
        "error": {
            "code": status,
            "message": message,
            "errors": [{"message": message, "domain": domain, "reason": reason}],
        }
    }
    return Response.of_json(body, status)


def _unauthenticated() -> Response:
    return google_error(
        401,
        "authError",
        "Request had invalid authentication credentials. Expected OAuth 2 access token.",
        domain="global",
    )


def views_at(video_id: str, hours: float) -> int:
    """Deterministic cumulative views of a video `hours` after upload."""
    seed = int(hashlib.sha256(video_id.encode()).hexdigest()[:8], 16)
    return int((40 + seed % 160) * (1.0 + max(0.0, hours)) ** 0.5)


@dataclass
class Session:
    account: str
    size: int
    metadata: dict[str, Any]
    data: bytearray = field(default_factory=bytearray)
    bytes_received: int = 0
    duplicate_bytes: int = 0
    discarded_bytes: int = 0
    chunks: int = 0
    video_id: str | None = None

    def view(self) -> dict[str, Any]:
        return {
            "account": self.account,
            "size": self.size,
            "committed": len(self.data),
            "bytes_received": self.bytes_received,
            "duplicate_bytes": self.duplicate_bytes,
            "discarded_bytes": self.discarded_bytes,
            "chunks": self.chunks,
            "video_id": self.video_id,
        }


class YouTubeState:
    def __init__(self, server: FakeServer) -> None:
        self.server = server
        self.lock = threading.RLock()
        self.tokens: dict[str, str] = {}  # access token → channel account
        self.sessions: dict[str, Session] = {}
        self.videos: dict[str, dict[str, Any]] = {}
        self.captions: dict[str, list[dict[str, Any]]] = {}
        self.thumbnails: dict[str, int] = {}  # video id → bytes of the last thumbnail

    @property
    def options(self) -> dict[str, Any]:
        return self.server.faults.options

    def account(self, req: Request) -> str | None:
        auth = req.headers.get("authorization", "")
        if self.options.get("youtube.revoked") or not auth.startswith("Bearer "):
            return None
        return self.tokens.get(auth.removeprefix("Bearer "))

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            accounts: dict[str, dict[str, Any]] = {}
            for vid, video in self.videos.items():
                entry = accounts.setdefault(video["_account"], {"posts": [], "duplicates": 0})
                entry["posts"].append(
                    {
                        "id": vid,
                        "sha256": video["_sha256"],
                        "title": video["snippet"]["title"],
                        "snippet": video["snippet"],
                        "status": video["status"],
                        "captions": len(self.captions.get(vid, [])),
                        "thumbnail_bytes": self.thumbnails.get(vid, 0),
                    }
                )
            for entry in accounts.values():
                hashes = [p["sha256"] for p in entry["posts"]]
                entry["duplicates"] = len(hashes) - len(set(hashes))
            return {
                "accounts": accounts,
                "sessions": {sid: s.view() for sid, s in self.sessions.items()},
                "duplicate_bytes": sum(s.duplicate_bytes for s in self.sessions.values()),
            }


def _public(video: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in video.items() if not k.startswith("_")}


def register(router: Router, server: FakeServer) -> None:
    state = YouTubeState(server)
    server.state["youtube"] = state

    def quota_guard() -> Response | None:
        if state.options.get("youtube.quota_exceeded"):
            return google_error(
                403,
                "quotaExceeded",
                "The request cannot be completed because you have exceeded your quota.",
                domain="youtube.quota",
            )
        return None

    def token(req: Request) -> Response:
        form = {k: v[0] for k, v in parse_qs(req.body.decode()).items()}
        if form.get("grant_type") != "refresh_token" or not form.get("refresh_token"):
            return Response.of_json({"error": "unsupported_grant_type"}, 400)
        if not form.get("client_id"):
            return Response.of_json({"error": "invalid_client"}, 401)
        if state.options.get("youtube.revoked"):
            return Response.of_json(
                {
                    "error": "invalid_grant",
                    "error_description": "Token has been expired or revoked.",
                },
                400,
            )
        access = f"ya29.fake-{secrets.token_urlsafe(12)}"
        with state.lock:
            state.tokens[access] = form["refresh_token"]
        return Response.of_json(
            {
                "access_token": access,
                "expires_in": 3599,
                "token_type": "Bearer",  # nosec B105 # the OAuth token type of the local fake, not a secret
                "scope": " ".join(
                    f"https://www.googleapis.com/auth/{s}"
                    for s in ("youtube.upload", "youtube.force-ssl", "yt-analytics.readonly")
                ),
            }
        )

    def start_upload(req: Request) -> Response:
        account = state.account(req)
        if account is None:
            return _unauthenticated()
        if (refused := quota_guard()) is not None:
            return refused
        if req.query.get("uploadType", [""])[0] != "resumable":
            return google_error(400, "badRequest", "this fake takes resumable video uploads only")
        parts = set(req.query.get("part", [""])[0].split(","))
        meta = req.json() or {}
        title = str((meta.get("snippet") or {}).get("title") or "")
        if not {"snippet", "status"} <= parts:
            return google_error(400, "unexpectedPart", "part must include snippet and status")
        if not title.strip() or len(title) > 100 or "<" in title or ">" in title:
            return google_error(
                400, "invalidTitle", "The request metadata specifies an invalid video title."
            )
        size = req.headers.get("x-upload-content-length")
        if not size or not size.isdigit():
            return google_error(400, "badRequest", "X-Upload-Content-Length is required")
        limit = state.options.get("youtube.upload_limit")
        with state.lock:
            posted = sum(1 for v in state.videos.values() if v["_account"] == account)
            if state.options.get("youtube.upload_limit_exceeded") or (
                limit is not None and posted >= int(limit)
            ):
                return google_error(
                    400,
                    "uploadLimitExceeded",
                    "The user has exceeded the number of videos they may upload.",
                    domain="youtube.video",
                )
            upload_id = f"up-{next(_ids):06d}-{secrets.token_hex(4)}"
            state.sessions[upload_id] = Session(account, int(size), meta)
        location = f"{req.base_url}/youtube/upload/youtube/v3/videos?uploadType=resumable&upload_id={upload_id}"  # noqa: E501
        return Response(200, b"", {"Location": location, "X-GUploader-UploadID": upload_id})

    def finish(session: Session, req: Request) -> dict[str, Any]:
        """Create the video once every byte is in (called with the lock held)."""
        if session.video_id is not None:
            return state.videos[session.video_id]
        video_id = secrets.token_urlsafe(8)[:11]
        meta = session.metadata
        snippet = dict(meta.get("snippet") or {})
        snippet.update(
            publishedAt=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            channelId=f"UC{hashlib.sha256(session.account.encode()).hexdigest()[:22]}",
        )
        status = dict(meta.get("status") or {})
        reject = state.options.get("youtube.reject")
        status["uploadStatus"] = "rejected" if reject else "uploaded"
        if reject:
            status["rejectionReason"] = str(reject)
        video = {
            "kind": "youtube#video",
            "etag": secrets.token_hex(8),
            "id": video_id,
            "snippet": snippet,
            "status": status,
            "_account": session.account,
            "_sha256": hashlib.sha256(session.data).hexdigest(),
            "_created": time.time(),
            "_lists": 0,
        }
        state.videos[video_id] = video
        session.video_id = video_id
        return video

    def put_upload(req: Request) -> Response:
        upload_id = req.query.get("upload_id", [""])[0]
        match = _RANGE.match(req.headers.get("content-range", "").strip())
        with state.lock:
            session = state.sessions.get(upload_id)
            if state.options.get("youtube.forget_sessions"):
                session = None  # as after a week: the session URI no longer works
            if session is None:
                return google_error(404, "notFound", "upload session not found or expired")
            if match is None:
                return google_error(400, "badRequest", "a Content-Range header is required")
            first, last, total = match.groups()
            if total != "*" and int(total) != session.size:
                return google_error(
                    400, "badRequest", "Content-Range total differs from the session size"
                )
            committed = len(session.data)
            if first is None:  # status query: where does the upload stand?
                if session.video_id is not None:
                    return Response.of_json(_public(state.videos[session.video_id]), 200)
                headers = {"Range": f"bytes=0-{committed - 1}"} if committed else {}
                return Response(308, b"", headers)
            start, end = int(first), int(last)
            body = req.body
            declared = int(req.headers.get("content-length") or 0)
            truncated = len(body) < declared  # the client died mid-body
            session.chunks += 1
            session.bytes_received += len(body)
            if start > committed:
                session.discarded_bytes += len(body)
                return google_error(
                    400, "badRequest", f"chunk starts at {start}, expected {committed}"
                )
            overlap = min(committed - start, len(body))
            session.duplicate_bytes += max(0, overlap)
            fresh = body[max(0, overlap) :]
            final = end + 1 == session.size and not truncated
            cut = int(state.options.get("youtube.cut_chunk") or 0)
            cutting = bool(cut) and server.faults.tick("youtube.chunk") == cut
            if cutting:
                fresh = fresh[: len(fresh) // 2]
                final = False
            if not final:  # Google commits non-final chunks in whole 256 KiB units
                keep = (committed + len(fresh)) // CHUNK_GRANULARITY * CHUNK_GRANULARITY
                keep = max(keep - committed, 0)
                session.discarded_bytes += len(fresh) - keep
                fresh = fresh[:keep]
            session.data.extend(fresh)
            committed = len(session.data)
            if cutting:
                return Response(drop=True)
            if committed == session.size:
                video = finish(session, req)
                return Response.of_json(_public(video), 200)
        delay = float(state.options.get("youtube.chunk_delay_s") or 0.0)
        if delay:
            time.sleep(delay)
        return Response(308, b"", {"Range": f"bytes=0-{committed - 1}"} if committed else {})

    def owned_video(req: Request, video_id: str) -> tuple[str | None, Response | None]:
        account = state.account(req)
        if account is None:
            return None, _unauthenticated()
        if (refused := quota_guard()) is not None:
            return None, refused
        video = state.videos.get(video_id)
        if video is None:
            return None, google_error(404, "videoNotFound", "The video could not be found.")
        if video["_account"] != account:
            return None, google_error(403, "forbidden", "The video is not owned by this channel.")
        return account, None

    def set_thumbnail(req: Request) -> Response:
        video_id = req.query.get("videoId", [""])[0]
        _, refused = owned_video(req, video_id)
        if refused is not None:
            return refused
        kind = req.headers.get("content-type", "")
        png, jpeg = req.body.startswith(b"\x89PNG"), req.body.startswith(b"\xff\xd8")
        if kind not in ("image/png", "image/jpeg", "application/octet-stream") or not (png or jpeg):
            return google_error(400, "invalidImage", "The provided image content is invalid.")
        with state.lock:
            state.thumbnails[video_id] = len(req.body)
        url = f"{req.base_url}/youtube/vi/{video_id}/default.jpg"
        item = {"default": {"url": url, "width": 120, "height": 90}}
        return Response.of_json({"kind": "youtube#thumbnailSetResponse", "items": [item]})

    def insert_caption(req: Request) -> Response:
        if req.query.get("uploadType", [""])[0] != "multipart":
            return google_error(400, "badRequest", "this fake takes multipart caption uploads")
        raw = b"Content-Type: " + req.headers.get("content-type", "").encode() + b"\r\n\r\n"
        message = email.message_from_bytes(raw + req.body, policy=email.policy.HTTP)
        parts = list(message.iter_parts()) if message.is_multipart() else []
        if len(parts) != 2:
            return google_error(400, "badRequest", "expected metadata and media parts")
        meta = json.loads(parts[0].get_content())
        media = parts[1].get_payload(decode=True) or b""
        snippet = dict(meta.get("snippet") or {})
        video_id = str(snippet.get("videoId") or "")
        _, refused = owned_video(req, video_id)
        if refused is not None:
            return refused
        text = media.decode("utf-8", errors="replace")
        if not snippet.get("language") or "-->" not in text:
            return google_error(
                400, "invalidMetadata", "language and a timed caption file are required"
            )
        caption = {
            "kind": "youtube#caption",
            "id": f"cap-{next(_ids):06d}",
            "snippet": {
                **snippet,
                "trackKind": "standard",
                "status": "serving",
                "lastUpdated": dt.datetime.now(dt.UTC).isoformat(),
            },
        }
        with state.lock:
            state.captions.setdefault(video_id, []).append(caption)
        return Response.of_json(caption)

    def list_captions(req: Request) -> Response:
        video_id = req.query.get("videoId", [""])[0]
        _, refused = owned_video(req, video_id)
        if refused is not None:
            return refused
        with state.lock:
            items = list(state.captions.get(video_id, []))
        return Response.of_json({"kind": "youtube#captionListResponse", "items": items})

    def list_videos(req: Request) -> Response:
        account = state.account(req)
        if account is None:
            return _unauthenticated()
        if (refused := quota_guard()) is not None:
            return refused
        parts = set(req.query.get("part", [""])[0].split(","))
        ids = [i for i in req.query.get("id", [""])[0].split(",") if i]
        need = int(state.options.get("youtube.processing_polls") or 0)
        items = []
        with state.lock:
            for vid in ids:
                video = state.videos.get(vid)
                if video is None:
                    continue
                video["_lists"] += 1
                status = video["status"]
                if status["uploadStatus"] == "uploaded" and video["_lists"] > need:
                    status["uploadStatus"] = "processed"
                item: dict[str, Any] = {"kind": "youtube#video", "id": vid}
                if "snippet" in parts:
                    item["snippet"] = video["snippet"]
                if "status" in parts:
                    item["status"] = status
                if "processingDetails" in parts:
                    done = status["uploadStatus"] == "processed"
                    item["processingDetails"] = {
                        "processingStatus": "succeeded" if done else "processing"
                    }
                if "statistics" in parts:
                    hours = (time.time() - video["_created"]) / 3600
                    views = views_at(vid, hours)
                    item["statistics"] = {
                        "viewCount": str(views),
                        "likeCount": str(views // 12),
                        "favoriteCount": "0",
                        "commentCount": str(views // 90),
                    }
                items.append(item)
        return Response.of_json(
            {
                "kind": "youtube#videoListResponse",
                "items": items,
                "pageInfo": {"totalResults": len(items)},
            }
        )

    def analytics(req: Request) -> Response:
        account = state.account(req)
        if account is None:
            return _unauthenticated()
        q = {k: v[0] for k, v in req.query.items()}
        if q.get("ids") != "channel==MINE" or not q.get("metrics"):
            return google_error(400, "badRequest", "ids=channel==MINE and metrics are required")
        try:
            start = dt.date.fromisoformat(q["startDate"])
            end = dt.date.fromisoformat(q["endDate"])
        except (KeyError, ValueError):
            return google_error(400, "badRequest", "startDate and endDate (YYYY-MM-DD) required")
        if end < start:
            return google_error(400, "badRequest", "endDate is before startDate")
        video_id = q.get("filters", "").removeprefix("video==")
        video = state.videos.get(video_id)
        if video is None or video["_account"] != account:
            return google_error(403, "forbidden", "The video is not in this channel.")
        created = dt.datetime.fromtimestamp(video["_created"], dt.UTC).date()
        hours = max(0, (end - created).days) * 24 + 12
        views = views_at(video_id, hours)
        values = {
            "views": views,
            "estimatedMinutesWatched": round(views * 0.31, 1),
            "averageViewDuration": 19,
            "averageViewPercentage": 63.5,
            "likes": views // 12,
            "comments": views // 90,
            "shares": views // 150,
            "subscribersGained": views // 400,
        }
        names = q["metrics"].split(",")
        unknown = [n for n in names if n not in values]
        if unknown:
            return google_error(
                400,
                "badRequest",
                f"Unknown identifier ({unknown[0]}) given in field parameters.metrics.",
            )
        headers = [
            {
                "name": n,
                "columnType": "METRIC",
                "dataType": "FLOAT" if isinstance(values[n], float) else "INTEGER",
            }
            for n in names
        ]
        return Response.of_json(
            {
                "kind": "youtubeAnalytics#resultTable",
                "columnHeaders": headers,
                "rows": [[values[n] for n in names]],
            }
        )

    up = "/youtube/upload/youtube/v3"
    router.add("youtube.token", "POST", "/youtube/oauth2/token", token)
    router.add("youtube.upload.start", "POST", f"{up}/videos", start_upload)
    router.add("youtube.upload.put", "PUT", f"{up}/videos", put_upload)
    router.add("youtube.thumbnails.set", "POST", f"{up}/thumbnails/set", set_thumbnail)
    router.add("youtube.captions.insert", "POST", f"{up}/captions", insert_caption)
    router.add("youtube.captions.list", "GET", "/youtube/youtube/v3/captions", list_captions)
    router.add("youtube.videos.list", "GET", "/youtube/youtube/v3/videos", list_videos)
    router.add("youtube.analytics.query", "GET", "/youtube/v2/reports", analytics)
