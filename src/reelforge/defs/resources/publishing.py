"""Publishing resources: the platforms a channel posts to, signed media links, the audience.

`Publishers` is the one resource the `uploads` and `engagement` assets ask for a platform.
Each platform is a field named after it whose value is a sub-resource with

- ``account: str`` — the default account (a channel's ``accounts:`` overrides it),
- ``client() -> Platform`` — the client (lib/platforms/base.py) that publishes and measures,
- optionally ``simulated_calendar: bool`` (posts count as public at their slot time) and
  ``needs_media_url: bool`` (the platform pulls the video from a signed URL).

The local outbox is always bound; YouTube, TikTok and Instagram are bound by bindings.py when
their credentials are set. An unbound platform that a channel lists fails that platform with a
clear reason.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any, ClassVar, Protocol

import dagster as dg

from reelforge.config import PLATFORMS
from reelforge.constants import DEFAULT_PLATFORMS, DEFAULT_SIM_TRUTH
from reelforge.defs.resources.platform_clients import (
    InstagramPlatform,
    TikTokPlatform,
    YouTubePlatform,
)
from reelforge.lib import audience, outbox
from reelforge.lib.platform_limits import load_platform_quotas
from reelforge.lib.platforms.base import (
    Metrics,
    Platform,
    PostRequest,
    PostResult,
    SessionSink,
    UploadSession,
)
from reelforge.lib.publisher import PublishSettings
from reelforge.lib.quotas import UNLIMITED, Quota

# Platforms that fetch the video from a URL instead of receiving its bytes.
PULL_PLATFORMS = frozenset({"instagram"})


@cache
def _truth(path: str) -> audience.Truth:
    return audience.load_truth(Path(path))


class OutboxPlatform(dg.ConfigurableResource):
    """The local outbox: copies the video, thumbnail, captions and a metadata JSON (with the
    plan) into ``outbox/outbox/<channel>/``; its audience is the simulator's ground truth."""

    root: str
    truth_path: str = str(DEFAULT_SIM_TRUTH)
    account: str = "local"
    # The simulated audience lives on the content calendar (see publishing_decisions).
    simulated_calendar: bool = True

    name: ClassVar[str] = "outbox"

    def client(self) -> outbox.OutboxClient:
        return outbox.OutboxClient(Path(self.root), _truth(self.truth_path), self.account)

    # The Platform protocol itself, so the resource can be used where a client is expected.
    def publish(
        self, request: PostRequest, session: UploadSession | None, sink: SessionSink
    ) -> PostResult:
        return self.client().publish(request, session, sink)

    def status(self, request: PostRequest, session: UploadSession) -> PostResult:
        return self.client().status(request, session)

    def metrics(self, post_id: str, published_at: dt.datetime, as_of: dt.datetime) -> Metrics:
        return self.client().metrics(post_id, published_at, as_of)


class UnboundPlatform(LookupError):
    """A channel lists a platform whose publisher is not configured."""


class Publishers(dg.ConfigurableResource):
    """Every publishing platform, the quotas they are held to and how uploads wait and poll."""

    outbox: OutboxPlatform
    youtube: YouTubePlatform | None = None
    tiktok: TikTokPlatform | None = None
    instagram: InstagramPlatform | None = None
    # config/platforms.yaml: the `quotas:` section (per platform and account).
    platforms_path: str = str(DEFAULT_PLATFORMS)
    lease_ttl_s: float = 900.0
    lease_wait_s: float = 120.0
    poll_interval_s: float = 5.0
    poll_timeout_s: float = 120.0
    recheck_processing_s: float = 300.0
    quota_retry_s: float = 3600.0
    media_url_expires_s: int = 6 * 3600

    def bound(self) -> dict[str, Any]:
        """Platform name → sub-resource, for every platform field that is set."""
        return {n: getattr(self, n) for n in PLATFORMS if getattr(self, n, None) is not None}

    def publisher(self, name: str) -> Any:
        found = self.bound().get(name)
        if found is None:
            raise UnboundPlatform(
                f"no publisher is configured for {name!r} (bound: {', '.join(self.bound())}); "
                "bind one in defs/resources/bindings.py or remove it from the channel's platforms"
            )
        return found

    def client(self, name: str) -> Platform:
        return self.publisher(name).client()

    def quota(self, name: str) -> Quota:
        return load_platform_quotas(Path(self.platforms_path)).get(name, UNLIMITED)

    def settings(self) -> PublishSettings:
        return PublishSettings(
            lease_ttl_s=self.lease_ttl_s, lease_wait_s=self.lease_wait_s,
            poll_interval_s=self.poll_interval_s, poll_timeout_s=self.poll_timeout_s,
            recheck_processing_s=self.recheck_processing_s, quota_retry_s=self.quota_retry_s,
        )  # fmt: skip

    def needs_media_url(self, name: str) -> bool:
        return bool(getattr(self.publisher(name), "needs_media_url", name in PULL_PLATFORMS))


class MediaLinks(Protocol):
    """Signed, expiring URLs of media files (S3 presigned URLs in production)."""

    def url_for(self, key: str, path: Path, expires_s: int) -> str: ...


class MediaLinksUnavailable(RuntimeError):
    """No signed-URL store is configured."""


class NoMediaLinks(dg.ConfigurableResource):
    """Bound when no signed-URL store is configured: platforms that pull media cannot post."""

    def url_for(self, key: str, path: Path, expires_s: int) -> str:
        raise MediaLinksUnavailable(
            "this platform pulls the video from a signed URL; bind a `media_links` resource "
            "(e.g. S3 presigned URLs) in defs/resources/bindings.py"
        )


class AudienceSimulator(dg.ConfigurableResource):
    """Engagement of outbox posts, from the ground-truth response surface in a JSON file."""

    truth_path: str

    def truth(self) -> audience.Truth:
        return _truth(self.truth_path)

    def snapshots(
        self,
        params: dict[str, Any],
        duration_s: float,
        ages_hours: tuple[int, ...],
        seed: int,
        *,
        channel: str | None = None,
    ) -> list[audience.Snapshot]:
        return audience.simulate(
            _truth(self.truth_path), params, duration_s, ages_hours, seed, channel=channel
        )
