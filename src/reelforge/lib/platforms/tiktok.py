"""TikTok Content Posting API (Direct Post, FILE_UPLOAD) with httpx.

init (`/v2/post/publish/video/init/`) → PUT the chunks to `upload_url` with
`Content-Range` (206 until the last, then 201) → poll `/v2/post/publish/status/fetch/`
(PROCESSING_UPLOAD / PROCESSING_DOWNLOAD → PUBLISH_COMPLETE | FAILED). Engagement from
`/v2/video/query/`.

Chunk rules (TikTok's media transfer guide): chunks of at least 5 MB and at most 64 MB,
`total_chunk_count = floor(video_size / chunk_size)`, the last chunk takes the remainder;
a video smaller than the minimum goes in one chunk. Resumption: publish_id, upload_url,
the chunk size and the committed bytes are saved after every chunk; a later attempt asks
the status endpoint for `uploaded_bytes` and continues at the next chunk.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from reelforge.lib.platform_limits import post_tags, post_text
from reelforge.lib.platforms.api import PlatformApi
from reelforge.lib.platforms.base import (
    Metrics,
    PermanentPlatformError,
    PlatformError,
    PostRequest,
    PostResult,
    QuotaExceeded,
    SessionSink,
    TransientPlatformError,
    UploadSession,
)
from reelforge.lib.platforms.retrying import Backoff

NAME = "tiktok"
CAPTION_LIMIT = 2200  # characters of a Direct Post title (caption and hashtags)
MB = 1024 * 1024
MIN_CHUNK = 5 * MB
MAX_CHUNK = 64 * MB
PRIVACY = {
    "public": "PUBLIC_TO_EVERYONE",
    "friends": "MUTUAL_FOLLOW_FRIENDS",
    "followers": "FOLLOWER_OF_CREATOR",
    "unlisted": "SELF_ONLY",
    "private": "SELF_ONLY",
}
_QUOTA_WAIT = {
    "rate_limit_exceeded": dt.timedelta(minutes=1),
    "spam_risk_too_many_pending_share": dt.timedelta(hours=1),
    "spam_risk_too_many_posts": dt.timedelta(hours=24),
    "reached_active_user_cap": dt.timedelta(hours=24),
}
_PERMANENT = frozenset(
    {"access_token_invalid", "scope_not_authorized", "scope_permission_missed",
     "spam_risk_user_banned_from_posting", "unaudited_client_can_only_post_to_private_accounts",
     "privacy_level_option_mismatch", "url_ownership_unverified", "invalid_params"}
)  # fmt: skip
_CHUNK_NOTE = re.compile(r"chunk_size=(\d+)")


def chunk_plan(size: int, chunk_size: int, min_chunk: int = MIN_CHUNK) -> tuple[int, int]:
    """(chunk_size, total_chunk_count) for a video of `size` bytes, by TikTok's rules."""
    if size <= 0:
        raise ValueError("empty video")
    if size < min_chunk or size <= chunk_size:
        return size, 1
    return chunk_size, size // chunk_size


def chunk_ranges(size: int, chunk_size: int, count: int) -> list[tuple[int, int]]:
    """Inclusive byte ranges of the chunks; the last one absorbs the remainder."""
    starts = [i * chunk_size for i in range(count)]
    ends = [s + chunk_size - 1 for s in starts[:-1]] + [size - 1]
    return list(zip(starts, ends, strict=True))


def _classify(response: httpx.Response, clock: Callable[[], dt.datetime]) -> PlatformError:
    try:
        error = response.json().get("error", {})
    except (ValueError, AttributeError):
        error = {}
    code = str(error.get("code") or f"http_{response.status_code}")
    reason = f"{code}: {error.get('message') or response.reason_phrase}"[:300]
    if code in _QUOTA_WAIT:
        return QuotaExceeded(NAME, reason, clock() + _QUOTA_WAIT[code])
    if code in _PERMANENT or response.status_code in (401, 403):
        return PermanentPlatformError(NAME, reason)
    if response.status_code >= 500 or response.status_code in (408, 429):
        return TransientPlatformError(NAME, reason)
    return PermanentPlatformError(NAME, reason)


class TikTok:
    """One TikTok account (the user whose access token this is)."""

    name = NAME

    def __init__(
        self,
        access_token: str,
        base_url: str = "https://open.tiktokapis.com",
        chunk_size: int = 10 * MB,
        min_chunk_size: int = MIN_CHUNK,
        poll_interval_s: float = 5.0,
        poll_deadline_s: float = 120.0,
        backoff: Backoff | None = None,
        timeout_s: float = 120.0,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        monotonic: Callable[[], float] | None = None,
    ) -> None:
        if not access_token:
            raise PermanentPlatformError(NAME, "no access token configured")
        if not min_chunk_size <= chunk_size <= MAX_CHUNK:
            raise ValueError(f"chunk_size must be within [{min_chunk_size}, {MAX_CHUNK}]")
        self.chunk_size = chunk_size
        self.min_chunk_size = min_chunk_size
        self.poll_interval_s = poll_interval_s
        self.poll_deadline_s = poll_deadline_s
        self.backoff = backoff or Backoff()
        self.clock = clock
        self._monotonic = monotonic or time.monotonic
        self.api = PlatformApi(
            NAME, base_url, lambda r: _classify(r, clock),
            headers={"Authorization": f"Bearer {access_token}"},
            backoff=self.backoff, timeout_s=timeout_s,
        )  # fmt: skip

    def _post(self, path: str, body: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        answer = self.api.json(
            "POST", path, json=body,
            headers={"Content-Type": "application/json; charset=UTF-8"}, **kwargs,
        )  # fmt: skip
        data = answer.get("data") if isinstance(answer, dict) else None
        if not isinstance(data, dict):
            raise TransientPlatformError(NAME, f"{path} answered without data")
        return data

    # --- publish ----------------------------------------------------------------------------

    def publish(
        self, request: PostRequest, session: UploadSession | None, sink: SessionSink
    ) -> PostResult:
        path = request.video_path
        if not path.is_file():
            raise PermanentPlatformError(NAME, f"video file missing: {path}")
        size = path.stat().st_size
        session = session or UploadSession()
        if session.remote_id is None or session.session_uri is None:
            session = self._init(request, size, sink)
        if session.committed_bytes < size:
            session = self._upload(request, path, size, session, sink)
        return self._poll(session, deadline_s=self.poll_deadline_s)

    def _init(self, request: PostRequest, size: int, sink: SessionSink) -> UploadSession:
        privacy = request.extra.get("tiktok_privacy_level") or PRIVACY.get(request.privacy)
        if privacy is None:
            raise PermanentPlatformError(NAME, f"no TikTok privacy level for {request.privacy!r}")
        creator = self._post("/v2/post/publish/creator_info/query/", {})
        options = creator.get("privacy_level_options") or []
        if privacy not in options:
            raise PermanentPlatformError(
                NAME, f"privacy {privacy} not offered to this creator (offered: {options})"
            )
        chunk_size, count = chunk_plan(size, self.chunk_size, self.min_chunk_size)
        tags = (f"#{t}" for t in post_tags(request.tags, total=CAPTION_LIMIT) if " " not in t)
        title = post_text(" ".join([request.title, *tags]), CAPTION_LIMIT)
        body = {
            "post_info": {
                "title": title,
                "privacy_level": privacy,
                "disable_duet": bool(creator.get("duet_disabled", False)),
                "disable_comment": bool(creator.get("comment_disabled", False)),
                "disable_stitch": bool(creator.get("stitch_disabled", False)),
                "video_cover_timestamp_ms": 1000,
                "is_aigc": request.synthetic_media,
            },
            "source_info": {
                "source": "FILE_UPLOAD",
                "video_size": size,
                "chunk_size": chunk_size,
                "total_chunk_count": count,
            },
        }
        # Retrying an init is safe: a publish whose upload never completes never posts.
        data = self._post("/v2/post/publish/video/init/", body)
        session = UploadSession(
            session_uri=str(data["upload_url"]), committed_bytes=0,
            remote_id=str(data["publish_id"]), detail=f"chunk_size={chunk_size}",
        )  # fmt: skip
        sink.save(session)
        return session

    def _uploaded_bytes(self, session: UploadSession) -> int:
        """What TikTok says it holds of this upload (falls back to the saved count)."""
        data = self._post("/v2/post/publish/status/fetch/", {"publish_id": session.remote_id})
        uploaded = data.get("uploaded_bytes")
        return int(uploaded) if isinstance(uploaded, int) else session.committed_bytes

    def _upload(
        self, request: PostRequest, path: Path, size: int, session: UploadSession,
        sink: SessionSink,
    ) -> UploadSession:  # fmt: skip
        noted = _CHUNK_NOTE.search(session.detail)
        chunk_size = int(noted.group(1)) if noted else self.chunk_size
        chunk_size, count = chunk_plan(size, chunk_size, self.min_chunk_size)
        ranges = chunk_ranges(size, chunk_size, count)
        failures = 0
        resuming = session.committed_bytes > 0
        with path.open("rb") as video:
            while session.committed_bytes < size:
                try:
                    if resuming:
                        committed = self._uploaded_bytes(session)
                        session = session.advanced(committed_bytes=committed)
                        resuming = False
                        continue
                    start, end = next(r for r in ranges if r[1] >= session.committed_bytes)
                    video.seek(start)
                    chunk = video.read(end - start + 1)
                    response = self.api.send(
                        "PUT", session.session_uri or "", retry=False, content=chunk,
                        headers={"Content-Type": "video/mp4",
                                 "Content-Range": f"bytes {start}-{end}/{size}"},
                    )  # fmt: skip
                    if response.status_code not in (201, 206):  # e.g. a garbled 200
                        raise TransientPlatformError(
                            NAME, f"upload answered {response.status_code}"
                        )
                except TransientPlatformError:
                    failures += 1
                    if failures >= self.backoff.attempts:
                        raise
                    self.backoff.pause(failures)
                    resuming = True  # ask TikTok what it kept before sending again
                    continue
                failures = 0
                session = session.advanced(committed_bytes=end + 1)
                sink.save(session)
        return session

    # --- status and metrics -----------------------------------------------------------------

    def _poll(self, session: UploadSession, deadline_s: float) -> PostResult:
        deadline = self._monotonic() + deadline_s
        while True:
            data = self._post("/v2/post/publish/status/fetch/", {"publish_id": session.remote_id})
            status = str(data.get("status", ""))
            if status == "PUBLISH_COMPLETE":
                ids = data.get("publicaly_available_post_id") or []  # sic, TikTok's spelling
                post_id = str(ids[0]) if ids else str(session.remote_id)
                url = f"https://www.tiktok.com/video/{post_id}" if ids else ""
                return PostResult(post_id=post_id, url=url, state="published", detail=status)
            if status == "FAILED":
                raise PermanentPlatformError(NAME, f"failed: {data.get('fail_reason') or '?'}")
            if status == "SEND_TO_USER_INBOX":
                return PostResult(str(session.remote_id), "", "published", detail=status)
            if self._monotonic() + self.poll_interval_s > deadline:
                return PostResult(str(session.remote_id), "", "processing", detail=status)
            self.backoff.sleep(self.poll_interval_s)

    def status(self, request: PostRequest, session: UploadSession) -> PostResult:
        if session.remote_id is None:
            raise PermanentPlatformError(NAME, "no publish_id to poll (init never completed)")
        return self._poll(session, deadline_s=0.0)

    def metrics(self, post_id: str, published_at: dt.datetime, as_of: dt.datetime) -> Metrics:
        """`/v2/video/query/` counters (TikTok gives lifetime totals only, no watch time)."""
        fields = "id,view_count,like_count,comment_count,share_count"
        data = self._post(
            f"/v2/video/query/?fields={fields}", {"filters": {"video_ids": [post_id]}}
        )
        videos = data.get("videos") or []
        if not videos:
            raise PermanentPlatformError(NAME, f"video {post_id} not found")
        v = videos[0]
        return Metrics(
            views=int(v.get("view_count", 0)), likes=int(v.get("like_count", 0)),
            comments=int(v.get("comment_count", 0)), shares=int(v.get("share_count", 0)),
        )  # fmt: skip
