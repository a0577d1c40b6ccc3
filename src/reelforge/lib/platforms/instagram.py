"""Instagram Reels through the Graph API (Content Publishing) with httpx.

Instagram pulls the video: the client creates a REELS container from a signed, expiring
`media_url` (`POST /{ig-user-id}/media`), polls the container (`status_code` IN_PROGRESS →
FINISHED | ERROR | EXPIRED) with growing intervals up to a deadline, then publishes it
(`POST /{ig-user-id}/media_publish`). The container id is saved as soon as it exists, so a
later attempt resumes polling that container and never creates a second one; the media id
is saved once published. The 50-posts-per-24-h limit is read from
`/{ig-user-id}/content_publishing_limit` before a container is made.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
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

NAME = "instagram"
CAPTION_LIMIT = 2200
HASHTAG_LIMIT = 30
_RATE_CODES = frozenset({4, 17, 32, 613})
_MEDIA_NOTE = "media_id="


def caption(request: PostRequest) -> str:
    """Title, description and up to 30 hashtags, within Instagram's 2,200 characters."""
    tags = " ".join(f"#{t.replace(' ', '')}" for t in post_tags(request.tags)[:HASHTAG_LIMIT])
    parts = (post_text(request.title, CAPTION_LIMIT),
             post_text(request.description, CAPTION_LIMIT, multiline=True), tags)  # fmt: skip
    return post_text("\n\n".join(p for p in parts if p), CAPTION_LIMIT, multiline=True)


def _classify(response: httpx.Response, clock: Callable[[], dt.datetime]) -> PlatformError:
    try:
        error = response.json().get("error", {})
    except (ValueError, AttributeError):
        error = {}
    code = error.get("code")
    subcode = error.get("error_subcode")
    kind = error.get("type", "error")
    reason = f"{kind} {code}" + (f"/{subcode}" if subcode else "")
    reason = f"{reason}: {error.get('message') or response.reason_phrase}"[:300]
    if code == 190 or (kind == "OAuthException" and code in (102, 463, 467)):
        return PermanentPlatformError(NAME, reason)
    if subcode == 2207042 or code == 9:  # the account's publishing limit
        return QuotaExceeded(NAME, reason, clock() + dt.timedelta(hours=24))
    if code in _RATE_CODES:
        return QuotaExceeded(NAME, reason, clock() + dt.timedelta(hours=1))
    if error.get("is_transient") or code in (1, 2) or response.status_code >= 500:
        return TransientPlatformError(NAME, reason)
    if response.status_code == 429:
        return TransientPlatformError(NAME, reason)
    return PermanentPlatformError(NAME, reason)


class Instagram:
    """One Instagram professional account (`ig_user_id`) through a user access token."""

    name = NAME

    def __init__(
        self,
        access_token: str,
        ig_user_id: str,
        base_url: str = "https://graph.facebook.com",
        api_version: str = "v21.0",
        share_to_feed: bool = True,
        poll_interval_s: float = 5.0,
        poll_max_interval_s: float = 60.0,
        poll_deadline_s: float = 600.0,
        backoff: Backoff | None = None,
        timeout_s: float = 60.0,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if not access_token or not ig_user_id:
            raise PermanentPlatformError(
                NAME, "an access token and an Instagram user id are needed"
            )
        self.user = ig_user_id
        self.share_to_feed = share_to_feed
        self.poll_interval_s = poll_interval_s
        self.poll_max_interval_s = poll_max_interval_s
        self.poll_deadline_s = poll_deadline_s
        self.backoff = backoff or Backoff()
        self.clock = clock
        self._monotonic = monotonic
        # The token goes in a header, never in a URL (URLs end up in logs and errors).
        self.api = PlatformApi(
            NAME, f"{base_url.rstrip('/')}/{api_version}", lambda r: _classify(r, clock),
            headers={"Authorization": f"Bearer {access_token}"},
            backoff=self.backoff, timeout_s=timeout_s,
        )  # fmt: skip

    # --- publish ----------------------------------------------------------------------------

    def publish(
        self, request: PostRequest, session: UploadSession | None, sink: SessionSink
    ) -> PostResult:
        if not request.media_url:
            raise PermanentPlatformError(
                NAME,
                "Instagram pulls the video from a URL: configure media links (S3) so the "
                "request carries a signed media_url",
            )
        session = session or UploadSession()
        if session.detail.startswith(_MEDIA_NOTE):
            return self._result(session.detail.removeprefix(_MEDIA_NOTE))
        if session.remote_id is None:
            session = self._create_container(request, sink)
        status = self._wait(session.remote_id or "")
        if status == "EXPIRED":  # never published within 24 h: a fresh container
            session = self._create_container(request, sink)
            status = self._wait(session.remote_id or "")
            if status == "EXPIRED":
                raise TransientPlatformError(NAME, f"container {session.remote_id} expired too")
        if status == "PUBLISHED":
            raise PermanentPlatformError(
                NAME, f"container {session.remote_id} is already published; its media id was "
                "not recorded (check the account before posting again)",
            )  # fmt: skip
        published = self.api.json(
            "POST", f"/{self.user}/media_publish", data={"creation_id": session.remote_id}
        )
        media_id = str(published["id"])
        sink.save(session.advanced(detail=f"{_MEDIA_NOTE}{media_id}"))
        return self._result(media_id)

    def _create_container(self, request: PostRequest, sink: SessionSink) -> UploadSession:
        limit = self.api.json(
            "GET", f"/{self.user}/content_publishing_limit", params={"fields": "quota_usage,config"}
        )
        rows = limit.get("data") or [{}]
        usage = int(rows[0].get("quota_usage", 0))
        total = int((rows[0].get("config") or {}).get("quota_total", 50))
        if usage >= total:
            raise QuotaExceeded(
                NAME, f"content publishing limit reached: {usage}/{total} posts in 24 h",
                self.clock() + dt.timedelta(hours=1),  # re-check: the window is rolling
            )  # fmt: skip
        form = {
            "media_type": "REELS", "video_url": request.media_url, "caption": caption(request),
            "share_to_feed": "true" if self.share_to_feed else "false",
        }  # fmt: skip
        created = self.api.json("POST", f"/{self.user}/media", data=form)
        session = UploadSession(remote_id=str(created["id"]), detail="container")
        sink.save(session)
        return session

    def _container(self, container_id: str) -> dict[str, Any]:
        return self.api.json("GET", f"/{container_id}", params={"fields": "status_code,status"})

    def _wait(self, container_id: str, deadline_s: float | None = None) -> str:
        """Poll until the container leaves IN_PROGRESS; ERROR is permanent, a deadline transient."""
        limit = self.poll_deadline_s if deadline_s is None else deadline_s
        deadline = self._monotonic() + limit
        interval = self.poll_interval_s
        while True:
            found = self._container(container_id)
            code = str(found.get("status_code", ""))
            if code == "ERROR":
                raise PermanentPlatformError(
                    NAME, f"container {container_id} failed: {found.get('status') or 'ERROR'}"
                )
            if code in ("FINISHED", "EXPIRED", "PUBLISHED"):
                return code
            if self._monotonic() + interval > deadline:
                raise TransientPlatformError(
                    NAME, f"container {container_id} still {code or 'IN_PROGRESS'} after "
                    f"{limit:.0f} s (a later attempt resumes polling it)",
                )  # fmt: skip
            self.backoff.sleep(interval)
            interval = min(self.poll_max_interval_s, interval * 1.5)

    def _result(self, media_id: str) -> PostResult:
        try:
            found = self.api.json("GET", f"/{media_id}", params={"fields": "permalink"})
            url = str(found.get("permalink", ""))
        except TransientPlatformError:
            url = ""  # the post exists; a missing link is not worth failing for
        return PostResult(post_id=media_id, url=url, state="published")

    def status(self, request: PostRequest, session: UploadSession) -> PostResult:
        """The media once published; else the container's state, read-only.

        `publish` never leaves a post "processing" (a container still processing at its
        deadline is a transient error), so finishing one is `publish` again with the session.
        """
        if session.detail.startswith(_MEDIA_NOTE):
            return self._result(session.detail.removeprefix(_MEDIA_NOTE))
        if session.remote_id is None:
            raise PermanentPlatformError(NAME, "no container to poll")
        try:
            code = self._wait(session.remote_id, deadline_s=0.0)
        except TransientPlatformError:
            return PostResult(session.remote_id, "", "processing", detail="IN_PROGRESS")
        return PostResult(session.remote_id, "", "processing", detail=f"container {code}")

    # --- metrics ----------------------------------------------------------------------------

    def metrics(self, post_id: str, published_at: dt.datetime, as_of: dt.datetime) -> Metrics:
        """Lifetime Reels insights: views, likes, comments, shares (saved, reach: not mapped)."""
        found = self.api.json(
            "GET",
            f"/{post_id}/insights",
            params={"metric": "views,likes,comments,shares,saved,reach"},
        )
        values: dict[str, int] = {}
        for row in found.get("data", []):
            entry = (row.get("values") or [{}])[0]
            total = row.get("total_value") or entry
            values[str(row.get("name"))] = int(total.get("value", 0) or 0)
        return Metrics(
            views=values.get("views", 0), likes=values.get("likes", 0),
            comments=values.get("comments", 0), shares=values.get("shares", 0),
        )  # fmt: skip
