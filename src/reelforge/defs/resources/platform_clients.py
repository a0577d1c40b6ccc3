"""Resources for the real publishing platforms (YouTube, TikTok, Instagram) and media links.

Each resource holds typed, non-secret settings plus secrets that the bindings fill with
`dg.EnvVar` (never logged: the clients keep them in headers and credential objects, out of
URLs, messages and metadata). `.client()` returns a `Platform` (lib/platforms/base.py);
`S3MediaLinks.links()` returns the signed-URL maker the Instagram uploads need.
Environment variables (names in constants.py): REELFORGE_YOUTUBE_TOKEN_FILE,
TIKTOK_ACCESS_TOKEN, INSTAGRAM_ACCESS_TOKEN, INSTAGRAM_USER_ID, REELFORGE_YOUTUBE_BASE_URL,
REELFORGE_TIKTOK_BASE_URL, REELFORGE_INSTAGRAM_BASE_URL, REELFORGE_MEDIA_BUCKET,
REELFORGE_S3_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY.
"""

from __future__ import annotations

from pathlib import Path

import boto3
import dagster as dg
from botocore.config import Config
from pydantic import Field

from reelforge.constants import (
    INSTAGRAM_PUBLIC_BASE_URL,
    TIKTOK_PUBLIC_BASE_URL,
    YOUTUBE_CHUNK_KIB,
    YOUTUBE_PUBLIC_BASE_URL,
)
from reelforge.lib.platforms import instagram, media_links, tiktok, youtube
from reelforge.lib.platforms.retrying import Backoff


def _custom(base_url: str) -> str | None:
    """None for Google's own endpoints (each discovery document keeps its own root)."""
    return None if base_url.rstrip("/") in ("", YOUTUBE_PUBLIC_BASE_URL.rstrip("/")) else base_url


class _Retries(dg.ConfigurableResource):
    retry_attempts: int = Field(default=4, description="Attempts of a transient call in one run.")
    retry_base_s: float = Field(default=0.5, description="First backoff (full jitter, doubling).")
    timeout_s: float = Field(default=120.0, description="Read timeout of one HTTP request.")

    def _backoff(self) -> Backoff:
        return Backoff(attempts=self.retry_attempts, base_s=self.retry_base_s)


class YouTubePlatform(_Retries):
    """A YouTube channel through the Data API v3 and Analytics API v2 (OAuth2 token file)."""

    account: str = Field(description="Channel account name, as in channels.yaml.")
    token_file: str = Field(
        description="OAuth2 authorized-user JSON (REELFORGE_YOUTUBE_TOKEN_FILE)."
    )
    base_url: str = Field(
        default=YOUTUBE_PUBLIC_BASE_URL,
        description="API root; another value (a compatible server, the fake) replaces the "
        "rootUrl of both discovery documents, which also redirects media uploads.",
    )
    token_uri: str | None = Field(
        default=None, description="OAuth token endpoint; Google's when unset."
    )
    chunk_size_kib: int = Field(
        default=YOUTUBE_CHUNK_KIB, description="Resumable upload chunk in KiB (a multiple of 256)."
    )
    caption_name: str = "reelforge"

    def client(self) -> youtube.YouTube:
        return youtube.YouTube(
            Path(self.token_file), base_url=_custom(self.base_url),
            token_uri=self.token_uri or None, chunk_size=self.chunk_size_kib * 1024,
            backoff=self._backoff(),
            timeout_s=self.timeout_s, caption_name=self.caption_name,
        )  # fmt: skip


class TikTokPlatform(_Retries):
    """A TikTok account through the Content Posting API (user access token)."""

    account: str = Field(description="Account name, as in channels.yaml.")
    access_token: str = Field(
        description="User access token with video.publish (TIKTOK_ACCESS_TOKEN)."
    )
    base_url: str = TIKTOK_PUBLIC_BASE_URL
    chunk_size_kib: int = Field(default=10240, description="Upload chunk in KiB (5-64 MiB).")
    min_chunk_size_kib: int = Field(default=5120, description="TikTok's minimum chunk, KiB.")
    poll_interval_s: float = 5.0
    poll_deadline_s: float = Field(
        default=120.0, description="How long publish polls before leaving the post processing."
    )

    def client(self) -> tiktok.TikTok:
        return tiktok.TikTok(
            self.access_token, base_url=self.base_url,
            chunk_size=self.chunk_size_kib * 1024,
            min_chunk_size=self.min_chunk_size_kib * 1024,
            poll_interval_s=self.poll_interval_s, poll_deadline_s=self.poll_deadline_s,
            backoff=self._backoff(), timeout_s=self.timeout_s,
        )  # fmt: skip


class InstagramPlatform(_Retries):
    """An Instagram professional account through the Graph API (Reels publishing)."""

    account: str = Field(description="Account name, as in channels.yaml.")
    access_token: str = Field(description="Graph API user token (INSTAGRAM_ACCESS_TOKEN).")
    ig_user_id: str = Field(description="Instagram professional account id (INSTAGRAM_USER_ID).")
    base_url: str = INSTAGRAM_PUBLIC_BASE_URL
    api_version: str = "v21.0"
    share_to_feed: bool = True
    poll_interval_s: float = 5.0
    poll_max_interval_s: float = 60.0
    poll_deadline_s: float = Field(
        default=600.0, description="Container polling budget; past it the attempt is transient."
    )
    media_url_expiry_s: int = Field(
        default=3600, description="Lifetime of the signed media URL handed to Instagram."
    )

    def client(self) -> instagram.Instagram:
        return instagram.Instagram(
            self.access_token, self.ig_user_id, base_url=self.base_url,
            api_version=self.api_version, share_to_feed=self.share_to_feed,
            poll_interval_s=self.poll_interval_s, poll_max_interval_s=self.poll_max_interval_s,
            poll_deadline_s=self.poll_deadline_s, backoff=self._backoff(),
            timeout_s=self.timeout_s,
        )  # fmt: skip


class S3MediaLinks(dg.ConfigurableResource):
    """Signed, expiring GET URLs of media blobs in an S3-protocol bucket (AWS, MinIO, moto)."""

    bucket: str = Field(description="Bucket for pullable media (REELFORGE_MEDIA_BUCKET).")
    prefix: str = "media/"
    endpoint_url: str | None = Field(
        default=None, description="S3 endpoint (REELFORGE_S3_ENDPOINT_URL); AWS when unset."
    )
    region_name: str = "us-east-1"
    aws_access_key_id: str | None = None
    aws_secret_access_key: str | None = None

    def links(self) -> media_links.S3MediaLinks:
        # SigV4 explicitly: with a custom endpoint botocore would presign with SigV2.
        config = Config(signature_version="s3v4", retries={"max_attempts": 4, "mode": "standard"})
        client = boto3.session.Session().client(
            "s3", endpoint_url=self.endpoint_url or None, region_name=self.region_name,
            aws_access_key_id=self.aws_access_key_id or None,
            aws_secret_access_key=self.aws_secret_access_key or None,
            config=config,
        )  # fmt: skip
        return media_links.S3MediaLinks(client, self.bucket, self.prefix)

    def url_for(self, key: str, path: Path, expires_s: int) -> str:
        """The `media_links` interface of the uploads asset: a presigned, expiring GET URL.

        `key` may be a media-store key (``sha256/ab/<digest>.mp4``): with the same bucket and
        prefix as an S3-backed media store it is the object the store already wrote, so the
        same bytes are stored once."""
        return self.links().url_for(key, path, expires_s)
