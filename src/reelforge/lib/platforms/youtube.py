"""YouTube through google-api-python-client: resumable videos.insert, thumbnail, captions,
scheduled publishing, and engagement from the Analytics API v2 plus Data API statistics.

The client is built offline from the discovery documents bundled with the library; a
`base_url` (a compatible server, or the local fake) replaces both documents' `rootUrl`, the
one setting that also redirects media uploads. Credentials are an OAuth2 authorized-user
token file (refresh token + client id/secret), refreshed at Google's token endpoint or at
`token_uri` when given (google-auth ignores a token file's own token_uri).

Resumption: the session URI is saved through the sink the moment the server opens it, and
the committed byte count after every chunk. Given a saved session the client asks the server
where the upload stands (`Content-Range: bytes */SIZE` → 308 + `Range`) and sends only the
bytes after it; a session the server has forgotten (404/410) starts over.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import zoneinfo
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httplib2
from google.auth.exceptions import GoogleAuthError, RefreshError
from google.oauth2.credentials import Credentials
from google_auth_httplib2 import AuthorizedHttp
from googleapiclient import discovery_cache
from googleapiclient.discovery import build_from_document
from googleapiclient.errors import HttpError
from googleapiclient.http import HttpRequest, MediaFileUpload

from reelforge.lib.platform_limits import post_tags, post_text
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
from reelforge.lib.platforms.google_http import HttpxTransport
from reelforge.lib.platforms.retrying import Backoff

NAME = "youtube"
SCOPES = (
    "https://www.googleapis.com/auth/youtube.upload",
    "https://www.googleapis.com/auth/youtube.force-ssl",
    "https://www.googleapis.com/auth/yt-analytics.readonly",
)
PACIFIC = zoneinfo.ZoneInfo("America/Los_Angeles")
MIB = 1024 * 1024
ANALYTICS_METRICS = (
    "views,estimatedMinutesWatched,averageViewDuration,averageViewPercentage,"
    "likes,comments,shares,subscribersGained"
)
THUMBNAIL_SET = "thumbnail set"
CAPTIONS_DONE = frozenset({"captions inserted", "captions already there"})
_QUOTA_REASONS = frozenset({"quotaExceeded", "dailyLimitExceeded"})
_RATE_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded", "backendError"})


class _Credentials(Credentials):
    """google-auth credentials whose refresh turns a garbled token answer into a retryable
    RefreshError (google-auth itself raises TypeError/KeyError on such bodies)."""

    def refresh(self, request: Any) -> None:
        try:
            super().refresh(request)
        except (TypeError, KeyError, ValueError) as exc:
            raise RefreshError(
                f"token endpoint answered garbage ({type(exc).__name__})", retryable=True
            ) from None


def next_pacific_midnight(now: dt.datetime) -> dt.datetime:
    """When YouTube's daily API quota resets: the next midnight in Pacific time, as UTC."""
    local = now.astimezone(PACIFIC)
    midnight = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(), PACIFIC)
    return midnight.astimezone(dt.UTC)


def _document(name: str, version: str, base_url: str | None) -> dict[str, Any]:
    doc = json.loads(discovery_cache.get_static_doc(name, version) or "null")
    if doc is None:
        raise PermanentPlatformError(NAME, f"no bundled discovery document for {name} {version}")
    if base_url:
        root = base_url.rstrip("/") + "/"
        doc["rootUrl"] = doc["mtlsRootUrl"] = root
        doc["baseUrl"] = root + doc.get("servicePath", "")
    return doc


def _error_body(content: bytes) -> tuple[list[str], str]:
    """Reasons and message of a Google API error body."""
    try:
        error = json.loads(content or b"{}").get("error", {})
    except (ValueError, AttributeError):
        return [], content[:200].decode(errors="replace")
    if not isinstance(error, dict):
        return [], str(error)[:200]
    reasons = [str(e.get("reason")) for e in error.get("errors", []) if isinstance(e, dict)]
    return reasons, str(error.get("message", ""))[:300]


def snippet_text(text: str, limit: int, *, multiline: bool = False) -> str:
    """Titles refuse '<' and '>' and cap at 100 characters; descriptions at 5000. Control and
    bidi-override characters go too (`post_text`): YouTube rejects or keeps them verbatim."""
    return post_text(text.replace("<", "‹").replace(">", "›"), limit, multiline=multiline)


def video_body(request: PostRequest) -> dict[str, Any]:
    """The `videos.insert` resource for one post (snippet + status)."""
    status: dict[str, Any] = {
        "privacyStatus": request.privacy,
        "selfDeclaredMadeForKids": request.made_for_kids,
        "containsSyntheticMedia": request.synthetic_media,
    }
    if request.publish_at is not None:
        when = request.publish_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        status.update(privacyStatus="private", publishAt=when)  # publishAt needs private
    return {
        "snippet": {
            "title": snippet_text(request.title, 100),
            "description": snippet_text(request.description, 5000, multiline=True),
            "tags": post_tags(request.tags),
            "defaultLanguage": request.language,
            "defaultAudioLanguage": request.language,
            "categoryId": request.extra.get("youtube_category", "22"),
        },
        "status": status,
    }


class YouTube:
    """One YouTube channel (the one the token file's refresh token belongs to)."""

    name = NAME

    def __init__(
        self,
        token_file: Path,
        base_url: str | None = None,
        token_uri: str | None = None,
        chunk_size: int = 8 * MIB,
        backoff: Backoff | None = None,
        timeout_s: float = 120.0,
        caption_name: str = "reelforge",
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        if chunk_size <= 0 or chunk_size % (256 * 1024):
            raise ValueError("chunk_size must be a positive multiple of 256 KiB")
        self.token_file = Path(token_file)
        self.base_url = base_url
        self.token_uri = token_uri
        self.chunk_size = chunk_size
        self.backoff = backoff or Backoff()
        self.timeout_s = timeout_s
        self.caption_name = caption_name
        self.clock = clock
        self._services: tuple[Any, Any, HttpxTransport] | None = None

    # --- plumbing ---------------------------------------------------------------------------

    def _connect(self) -> tuple[Any, Any, HttpxTransport]:
        if self._services is None:
            try:
                creds = _Credentials.from_authorized_user_file(str(self.token_file), list(SCOPES))
            except FileNotFoundError:
                raise PermanentPlatformError(
                    NAME, f"token file not found: {self.token_file}"
                ) from None
            except (ValueError, KeyError) as exc:
                raise PermanentPlatformError(
                    NAME, f"token file is not an authorized-user token ({type(exc).__name__})"
                ) from None
            if self.token_uri:
                # google-auth ignores a token file's token_uri (always Google's): say it here.
                creds = creds.with_token_uri(self.token_uri)
            transport = HttpxTransport(timeout_s=self.timeout_s)
            authed = AuthorizedHttp(creds, http=transport)
            data = build_from_document(_document("youtube", "v3", self.base_url), http=authed)
            analytics = build_from_document(
                _document("youtubeAnalytics", "v2", self.base_url), http=authed
            )
            self._services = (data, analytics, transport)
        return self._services

    def _classify(self, exc: Exception) -> PlatformError:
        """A platform error for whatever a call raised (never containing credentials)."""
        if isinstance(exc, PlatformError):
            return exc
        if isinstance(exc, HttpError):
            status = exc.resp.status
            if status < 400:  # e.g. a 200 without the session Location: a garbled answer
                return TransientPlatformError(NAME, f"unexpected HTTP {status} answer")
            reasons, message = _error_body(exc.content)
            reason = f"HTTP {status} {'/'.join(reasons) or 'error'}: {message}"
            if _QUOTA_REASONS & set(reasons):
                return QuotaExceeded(NAME, reason, next_pacific_midnight(self.clock()))
            if "uploadLimitExceeded" in reasons:
                return QuotaExceeded(NAME, reason, self.clock() + dt.timedelta(hours=24))
            if status >= 500 or status in (408, 429) or _RATE_REASONS & set(reasons):
                return TransientPlatformError(NAME, reason)
            return PermanentPlatformError(NAME, reason)
        if isinstance(exc, RefreshError):
            # e.g. "invalid_grant: Token has been expired or revoked."; args[1] is the body.
            text = str(exc.args[0]) if exc.args else type(exc).__name__
            kind = TransientPlatformError if getattr(exc, "retryable", False) else None
            if kind is not None:
                return kind(NAME, f"token refresh failed: {text}")
            return PermanentPlatformError(NAME, f"credentials refused: {text}")
        if isinstance(exc, GoogleAuthError):
            return PermanentPlatformError(NAME, f"credentials error: {type(exc).__name__}")
        if isinstance(exc, OSError | http.client.HTTPException | httplib2.HttpLib2Error):
            return TransientPlatformError(NAME, f"network: {exc}")
        if isinstance(exc, json.JSONDecodeError):
            return TransientPlatformError(NAME, "answered with malformed JSON")
        raise exc

    def _execute(self, build: Callable[[], HttpRequest]) -> Any:
        """Build and execute one API request with bounded retries of transient failures."""

        def once() -> Any:
            try:
                answer = build().execute()
            except Exception as exc:
                raise self._classify(exc) from None
            if not isinstance(answer, dict):  # googleapiclient hands back undecodable bodies
                raise TransientPlatformError(NAME, "answered with malformed JSON")
            return answer

        return self.backoff.run(once)

    # --- publish ----------------------------------------------------------------------------

    def publish(
        self, request: PostRequest, session: UploadSession | None, sink: SessionSink
    ) -> PostResult:
        """Upload (resuming), then thumbnail and captions; returns the video's state."""
        for what, path in (("video", request.video_path), ("thumbnail", request.thumbnail_path),
                           ("captions", request.captions_srt_path)):  # fmt: skip
            if path is not None and not path.is_file():
                raise PermanentPlatformError(NAME, f"{what} file missing: {path}")
        session = session or UploadSession()
        if session.remote_id is None:
            session = self._upload(request, session, sink)
        video_id = str(session.remote_id)
        youtube, _, _ = self._connect()
        # Steps already done by an earlier attempt are in the saved detail: skip them
        # (each costs 50 quota units; repeating them would be harmless but wasteful).
        done = [step for step in session.detail.split("; ") if step] or ["uploaded"]

        def record(step: str) -> None:
            nonlocal session
            done.append(step)
            session = session.advanced(detail="; ".join(done))
            sink.save(session)

        if request.thumbnail_path is not None and THUMBNAIL_SET not in done:
            thumb = request.thumbnail_path
            mime = "image/png" if thumb.suffix.lower() == ".png" else "image/jpeg"
            self._execute(
                lambda: youtube.thumbnails().set(
                    videoId=video_id, media_body=MediaFileUpload(str(thumb), mimetype=mime)
                )
            )
            record(THUMBNAIL_SET)
        if request.captions_srt_path is not None and not CAPTIONS_DONE & set(done):
            record(self._ensure_captions(youtube, video_id, request))
        return self.status(request, session)

    def _upload(
        self, request: PostRequest, session: UploadSession, sink: SessionSink
    ) -> UploadSession:
        youtube, _, transport = self._connect()
        size = request.video_path.stat().st_size
        body = video_body(request)

        def fresh_insert() -> HttpRequest:
            media = MediaFileUpload(
                str(request.video_path), mimetype="video/mp4", chunksize=self.chunk_size,
                resumable=True,
            )  # fmt: skip
            return youtube.videos().insert(
                part="snippet,status", body=body, media_body=media, notifySubscribers=True
            )

        def opened(method: str, uri: str, response: httplib2.Response) -> None:
            nonlocal session
            opening = method == "POST" and "uploadType=resumable" in uri
            if opening and response.status == 200 and "location" in response:
                # Saved before a single byte is sent, so even a first chunk can resume.
                session = UploadSession(session_uri=response["location"], committed_bytes=0)
                sink.save(session)

        insert = fresh_insert()
        failures = 0
        video: dict[str, Any] | None = None
        # Ask the server where a saved session stands before sending anything, and again
        # after every failure (the failed chunk may have been committed in part or whole).
        ask = False
        if session.session_uri:
            insert.resumable_uri, ask = session.session_uri, True
        transport.on_response = opened
        try:
            while video is None:
                try:
                    if ask and insert.resumable_uri:
                        video = self._resume_point(insert, size)
                        ask = False
                        if insert.resumable_uri is None:  # forgotten by the server
                            insert = fresh_insert()
                        continue
                    progress, video = insert.next_chunk()
                    if video is not None and not isinstance(video, dict):
                        video = None  # a garbled "done": ask the server instead
                        raise TransientPlatformError(NAME, "answered with malformed JSON")
                except Exception as exc:
                    error = self._classify(exc)
                    if isinstance(exc, HttpError) and exc.resp.status in (404, 410):
                        insert = fresh_insert()  # the session expired: a new one
                        error = TransientPlatformError(NAME, "upload session expired")
                    if not error.transient:
                        raise error from None
                    failures += 1
                    if failures >= self.backoff.attempts:
                        raise error from None
                    self.backoff.pause(failures)
                    ask = True
                    continue
                failures = 0
                if video is None and progress is not None:
                    session = UploadSession(
                        session_uri=insert.resumable_uri, committed_bytes=insert.resumable_progress
                    )
                    sink.save(session)
        finally:
            transport.on_response = None
        session = UploadSession(
            session_uri=insert.resumable_uri or session.session_uri, committed_bytes=size,
            remote_id=str(video["id"]), detail="uploaded",
        )  # fmt: skip
        sink.save(session)
        return session

    def _resume_point(self, insert: HttpRequest, size: int) -> dict[str, Any] | None:
        """Ask the server for the committed range of the session (one request).

        Sets `insert.resumable_progress` (308), returns the video if the upload had
        already completed (200/201), or clears `insert.resumable_uri` when the server no
        longer knows the session (404/410). Failures raise a `PlatformError`.
        """
        try:
            resp, content = insert.http.request(
                insert.resumable_uri, "PUT",
                headers={"Content-Range": f"bytes */{size}", "Content-Length": "0"},
            )  # fmt: skip
            if resp.status in (200, 201):
                video = json.loads(content)
                if not isinstance(video, dict):
                    raise TransientPlatformError(NAME, "answered with malformed JSON")
                return video
        except Exception as exc:
            raise self._classify(exc) from None
        if resp.status == 308:
            committed = resp.get("range")
            insert.resumable_progress = int(committed.split("-")[1]) + 1 if committed else 0
            return None
        if resp.status in (404, 410):
            insert.resumable_uri = None
            return None
        raise self._classify(HttpError(resp, content, uri="upload status query"))

    def _ensure_captions(self, youtube: Any, video_id: str, request: PostRequest) -> str:
        """Insert the SRT track unless a retry finds it already there (no duplicate tracks)."""
        listed = self._execute(lambda: youtube.captions().list(part="snippet", videoId=video_id))
        for item in listed.get("items", []):
            snippet = item.get("snippet", {})
            if snippet.get("name") == self.caption_name and snippet.get("language") == (
                request.language
            ):
                return "captions already there"
        meta = {
            "snippet": {
                "videoId": video_id,
                "language": request.language,
                "name": self.caption_name,
                "isDraft": False,
            }
        }
        srt = str(request.captions_srt_path)
        self._execute(
            lambda: youtube.captions().insert(
                part="snippet",
                body=meta,
                media_body=MediaFileUpload(srt, mimetype="application/octet-stream"),
            )
        )
        return "captions inserted"

    # --- status and metrics -----------------------------------------------------------------

    def status(self, request: PostRequest, session: UploadSession) -> PostResult:
        """The video's processing state: processed → published; rejected/failed → permanent."""
        if session.remote_id is None:
            raise PermanentPlatformError(NAME, "no video id to poll (upload never completed)")
        youtube, _, _ = self._connect()
        video_id = session.remote_id
        listed = self._execute(
            lambda: youtube.videos().list(part="status,processingDetails", id=video_id)
        )
        items = listed.get("items", [])
        if not items:
            raise PermanentPlatformError(NAME, f"video {video_id} no longer exists")
        status = items[0].get("status", {})
        upload = status.get("uploadStatus", "uploaded")
        url = f"https://youtu.be/{video_id}"
        if upload == "rejected":
            raise PermanentPlatformError(NAME, f"rejected: {status.get('rejectionReason', '?')}")
        if upload in ("failed", "deleted"):
            raise PermanentPlatformError(NAME, f"{upload}: {status.get('failureReason', '?')}")
        state = "published" if upload == "processed" else "processing"
        scheduled = status.get("publishAt")
        detail = f"uploadStatus={upload}" + (f", goes public at {scheduled}" if scheduled else "")
        return PostResult(post_id=video_id, url=url, state=state, detail=detail)

    def metrics(self, post_id: str, published_at: dt.datetime, as_of: dt.datetime) -> Metrics:
        """Analytics v2 `reports.query` for the video plus Data API statistics."""
        youtube, analytics, _ = self._connect()
        start = published_at.astimezone(PACIFIC).date()
        end = max(start, as_of.astimezone(PACIFIC).date())
        report = self._execute(
            lambda: analytics.reports().query(
                ids="channel==MINE", startDate=start.isoformat(), endDate=end.isoformat(),
                metrics=ANALYTICS_METRICS, filters=f"video=={post_id}",
            )
        )  # fmt: skip
        names = [h.get("name") for h in report.get("columnHeaders", [])]
        rows = report.get("rows") or [[0] * len(names)]
        values = {n: float(v or 0) for n, v in zip(names, rows[0], strict=False)}
        listed = self._execute(lambda: youtube.videos().list(part="statistics", id=post_id))
        items = listed.get("items", [])
        stats = items[0].get("statistics", {}) if items else {}

        def best(metric: str, stat: str) -> int:
            # Analytics lags by a day or two; Data API counters are close to live.
            return max(int(values.get(metric, 0)), int(stats.get(stat, 0) or 0))

        return Metrics(
            views=best("views", "viewCount"),
            likes=best("likes", "likeCount"),
            comments=best("comments", "commentCount"),
            shares=int(values.get("shares", 0)),
            watch_time_s=values.get("estimatedMinutesWatched", 0.0) * 60.0,
            avg_view_duration_s=values.get("averageViewDuration", 0.0),
            avg_view_pct=values.get("averageViewPercentage", 0.0),
            subscribers_gained=int(values.get("subscribersGained", 0)),
        )
