"""The interface every publishing platform implements: outbox, YouTube, TikTok, Instagram.

The uploads asset owns exactly-once: it claims an upload row in the ledger, checks quotas,
hands the platform a `PostRequest` plus whatever `UploadSession` an earlier attempt saved,
and records the `PostResult`. A platform client owns the protocol: it calls `sink.save()`
every time the resumable state changes (session URI opened, bytes committed, remote id
known) so a killed attempt can resume from the last committed byte, and it raises
`PlatformError` subclasses that say whether to retry, defer or fail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal, Protocol

PostState = Literal["processing", "published"]


@dataclass(frozen=True)
class PostRequest:
    """Everything a platform needs to publish one video of one episode."""

    episode_id: str
    channel: str
    account: str
    video_path: Path
    content_hash: str  # sha256 of the video bytes
    title: str
    description: str
    tags: tuple[str, ...]
    language: str = "en"
    # When the post should go public (YouTube `publishAt`); None publishes at once.
    publish_at: dt.datetime | None = None
    privacy: str = "private"
    made_for_kids: bool = False
    synthetic_media: bool = True  # the platforms' altered/synthetic content disclosure
    thumbnail_path: Path | None = None
    captions_srt_path: Path | None = None
    # A signed, expiring URL of the video for platforms that pull media (Instagram Reels,
    # TikTok PULL_FROM_URL); None when only push uploads are possible.
    media_url: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class UploadSession:
    """Resumable state of one upload, persisted in the ledger between attempts."""

    session_uri: str | None = None  # e.g. YouTube's resumable session URL
    committed_bytes: int = 0  # bytes the platform has acknowledged
    remote_id: str | None = None  # video id / publish_id / container id once known
    detail: str = ""

    def advanced(self, **changes: object) -> UploadSession:
        return replace(self, **changes)  # type: ignore[arg-type]


class SessionSink(Protocol):
    """Where a client saves its resumable state (the ledger row of the upload)."""

    def save(self, session: UploadSession) -> None: ...


@dataclass(frozen=True)
class PostResult:
    post_id: str
    url: str
    state: PostState  # "processing": accepted, the platform is still working on it
    detail: str = ""


@dataclass(frozen=True)
class Metrics:
    """Cumulative engagement of one post at one moment."""

    views: int
    likes: int = 0
    comments: int = 0
    shares: int = 0
    watch_time_s: float = 0.0
    avg_view_duration_s: float = 0.0
    avg_view_pct: float = 0.0
    subscribers_gained: int = 0


class PlatformError(Exception):
    """A platform refused or failed; `reason` is the platform's own words (shown in the UI)."""

    transient: bool = False

    def __init__(self, platform: str, reason: str) -> None:
        self.platform = platform
        self.reason = reason
        super().__init__(f"{platform}: {reason}")


class TransientPlatformError(PlatformError):
    """5xx, timeouts, dropped connections: retry (with backoff), resuming the session."""

    transient = True


class PermanentPlatformError(PlatformError):
    """Policy rejection, bad or revoked credentials, invalid metadata: do not retry."""


class QuotaExceeded(PlatformError):
    """The platform says a quota is used up: defer the upload to `not_before`, don't fail."""

    def __init__(self, platform: str, reason: str, not_before: dt.datetime | None = None) -> None:
        super().__init__(platform, reason)
        self.not_before = not_before


class Platform(Protocol):
    """One publishing platform account."""

    name: str  # "outbox", "youtube", "tiktok", "instagram"

    def publish(
        self, request: PostRequest, session: UploadSession | None, sink: SessionSink
    ) -> PostResult:
        """Upload (resuming `session` when given) and create the post.

        Must be safe to call again after any failure with the session last saved.
        """
        ...

    def status(self, request: PostRequest, session: UploadSession) -> PostResult:
        """Poll a post that `publish` left "processing"."""
        ...

    def metrics(self, post_id: str, published_at: dt.datetime, as_of: dt.datetime) -> Metrics:
        """Cumulative engagement of a published post as of `as_of`."""
        ...
