"""Fixtures for the platform clients: the fake server, per-test accounts, media files, sinks."""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from platform_helpers import BUCKET

from reelforge.defs.resources.platform_clients import S3MediaLinks as S3MediaLinksResource
from reelforge.lib.platforms.base import PostRequest
from reelforge.lib.platforms.media_links import S3MediaLinks


@pytest.fixture()
def account() -> str:
    """A fresh account name: platform state on the shared fake is kept per account."""
    return f"acct-{uuid.uuid4().hex[:10]}"


@pytest.fixture()
def media(tmp_path: Path) -> Callable[..., PostRequest]:
    """A PostRequest over a real file of `size` random bytes (plus thumbnail and SRT)."""

    def make(size: int = 900_000, account: str = "a", **changes: object) -> PostRequest:
        video = tmp_path / f"video-{uuid.uuid4().hex[:6]}.mp4"
        video.write_bytes(os.urandom(size))
        thumb = tmp_path / "thumb.png"
        Image.new("RGB", (64, 36), (200, 30, 30)).save(thumb)
        srt = tmp_path / "captions.srt"
        srt.write_text("1\n00:00:00,000 --> 00:00:01,500\nDid you know?\n", encoding="utf-8")
        fields: dict[str, object] = dict(
            episode_id="2026-12-01|space_facts|0", channel="space_facts", account=account,
            video_path=video, content_hash=hashlib.sha256(video.read_bytes()).hexdigest(),
            title="Why is the sky dark at night?", description="Olbers' paradox in 30 s.",
            tags=("space", "facts"), thumbnail_path=thumb, captions_srt_path=srt,
        )  # fmt: skip
        fields.update(changes)
        return PostRequest(**fields)  # type: ignore[arg-type]

    return make


@pytest.fixture(scope="session")
def links(moto_url: str) -> S3MediaLinks:
    resource = S3MediaLinksResource(
        bucket=BUCKET, endpoint_url=moto_url,
        aws_access_key_id="testing", aws_secret_access_key="testing",
    )  # fmt: skip
    made = resource.links()
    made.client.create_bucket(Bucket=BUCKET)
    return made
