"""The Instagram client against the fake Graph API, with media links presigned by moto_server."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from platform_helpers import BUCKET, Sink, linked, no_wait

from reelforge.fakes.process import set_faults, state
from reelforge.lib.platforms.base import (
    PermanentPlatformError,
    PostRequest,
    QuotaExceeded,
    TransientPlatformError,
)
from reelforge.lib.platforms.instagram import Instagram, caption
from reelforge.lib.platforms.media_links import S3MediaLinks

NOW = dt.datetime(2026, 12, 1, 17, 30, tzinfo=dt.UTC)


def client(fake: str, user: str, **kw: Any) -> Instagram:
    kw.setdefault("backoff", no_wait())
    kw.setdefault("poll_deadline_s", 5.0)
    return Instagram(
        "IGQVJfake-token", user, base_url=f"{fake}/instagram", poll_interval_s=0.02,
        poll_max_interval_s=0.05, clock=lambda: NOW, **kw,
    )  # fmt: skip


def user_view(fake: str, user: str) -> dict[str, Any]:
    return state(fake, "instagram")["accounts"].get(user, {"posts": [], "containers": []})


def test_reel_from_a_presigned_s3_url_is_fetched_polled_and_published(
    fake: str, account: str, media: Callable[..., PostRequest], links: S3MediaLinks
) -> None:
    set_faults(fake, options={"instagram.polls": 3})
    request = linked(media(size=200_000), links)
    assert "X-Amz-Signature" in (request.media_url or "")
    sink = Sink()
    result = client(fake, account).publish(request, None, sink)

    seen = user_view(fake, account)
    (post,) = seen["posts"]
    assert post["id"] == result.post_id
    assert post["sha256"] == request.content_hash  # the fake downloaded it from moto
    assert post["caption"].startswith("Why is the sky dark") and "#space #facts" in post["caption"]
    assert len(seen["containers"]) == 1 and seen["containers"][0]["polls"] >= 3
    assert result.state == "published" and result.url.startswith("https://www.instagram.com/")
    assert sink.saved[0].remote_id == post["container"]
    assert sink.last.detail == f"media_id={result.post_id}"

    # Re-publishing the finished session creates nothing.
    again = client(fake, account).publish(request, sink.last, Sink())
    assert again.post_id == result.post_id
    seen = user_view(fake, account)
    assert len(seen["posts"]) == 1 and len(seen["containers"]) == 1


def test_same_content_key_uploads_once_and_links_are_signed_to_expire(
    media: Callable[..., PostRequest], links: S3MediaLinks
) -> None:
    request = media(size=5_000)
    first = links.url_for(request.content_hash, request.video_path, 600)
    key = f"media/{request.content_hash}"
    stored = links.client.head_object(Bucket=BUCKET, Key=key)
    second = links.url_for(request.content_hash, request.video_path, 90)
    assert httpx.get(first).content == request.video_path.read_bytes()
    again = links.client.head_object(Bucket=BUCKET, Key=key)
    assert again["LastModified"] == stored["LastModified"]  # present: not uploaded twice
    assert links.client.list_objects_v2(Bucket=BUCKET, Prefix=key)["KeyCount"] == 1
    # SigV4 query signing with the asked lifetime (moto_server itself does not enforce
    # expiry, so the refusal is tested with a URL the server refuses, below).
    assert "X-Amz-Expires=90" in second and "X-Amz-Signature=" in second
    with pytest.raises(ValueError, match="expires_s"):
        links.url_for(request.content_hash, request.video_path, 8 * 24 * 3600)


def test_refused_media_url_turns_the_container_error(
    fake: str, account: str, media: Callable[..., PostRequest], links: S3MediaLinks
) -> None:
    request = linked(media(size=5_000), links)
    links.client.delete_object(Bucket=BUCKET, Key=f"media/{request.content_hash}")
    with pytest.raises(PermanentPlatformError, match="Media download has failed"):
        client(fake, account).publish(request, None, Sink())
    assert user_view(fake, account)["posts"] == []


def test_stuck_container_is_transient_and_a_retry_polls_the_same_container(
    fake: str, account: str, media: Callable[..., PostRequest], links: S3MediaLinks
) -> None:
    set_faults(fake, options={"instagram.stuck": True})
    request = linked(media(size=50_000), links)
    sink = Sink()
    with pytest.raises(TransientPlatformError, match="still IN_PROGRESS"):
        client(fake, account, poll_deadline_s=0.3).publish(request, None, sink)
    assert len(user_view(fake, account)["containers"]) == 1
    assert sink.last.remote_id is not None

    set_faults(fake, options={"instagram.polls": 1})  # processing moves on
    result = client(fake, account).publish(request, sink.last, Sink())
    seen = user_view(fake, account)
    assert len(seen["containers"]) == 1  # never a second container
    assert [p["id"] for p in seen["posts"]] == [result.post_id]


def test_publishing_limit_is_a_quota(
    fake: str, account: str, media: Callable[..., PostRequest], links: S3MediaLinks
) -> None:
    set_faults(fake, options={"instagram.quota_total": 1, "instagram.polls": 1})
    ig = client(fake, account)
    ig.publish(linked(media(size=5_000), links), None, Sink())
    with pytest.raises(QuotaExceeded, match="1/1 posts") as caught:
        ig.publish(linked(media(size=6_000), links), None, Sink())
    assert caught.value.not_before == NOW + dt.timedelta(hours=1)
    seen = user_view(fake, account)
    assert len(seen["posts"]) == 1 and len(seen["containers"]) == 1


def test_revoked_token_is_permanent_and_a_missing_url_is_explained(
    fake: str, account: str, media: Callable[..., PostRequest], links: S3MediaLinks
) -> None:
    with pytest.raises(PermanentPlatformError, match="signed media_url"):
        client(fake, account).publish(media(size=1_000), None, Sink())
    set_faults(fake, options={"instagram.revoked": True})
    with pytest.raises(PermanentPlatformError, match="OAuthException 190") as caught:
        client(fake, account).publish(linked(media(size=1_000), links), None, Sink())
    assert "IGQVJfake-token" not in str(caught.value)


def test_metrics_from_insights(
    fake: str, account: str, media: Callable[..., PostRequest], links: S3MediaLinks
) -> None:
    set_faults(fake, options={"instagram.polls": 1})
    ig = client(fake, account)
    post = ig.publish(linked(media(size=5_000), links), None, Sink())
    metrics = ig.metrics(post.post_id, NOW, NOW)
    assert metrics.views > 0 and 0 < metrics.likes < metrics.views and metrics.comments >= 0


def test_caption_limits(media: Callable[..., PostRequest]) -> None:
    long = media(size=10, description="x" * 3000, tags=tuple(f"t{i}" for i in range(40)))
    text = caption(long)
    assert len(text) == 2200 and text.endswith("…")
    assert caption(media(size=10, tags=("two words",))).endswith("#twowords")


def test_an_expired_container_is_replaced_by_one_new_container(
    fake: str, account: str, media: Callable[..., PostRequest], links: S3MediaLinks
) -> None:
    set_faults(fake, options={"instagram.stuck": True})
    request = linked(media(size=5_000), links)
    sink = Sink()
    with pytest.raises(TransientPlatformError):
        client(fake, account, poll_deadline_s=0.1).publish(request, None, sink)
    old = sink.last.remote_id
    # A day later the container has expired unpublished: one fresh container replaces it.
    set_faults(fake, options={"instagram.expire": [old], "instagram.polls": 1})
    resumed = Sink()
    result = client(fake, account).publish(request, sink.last, resumed)
    seen = user_view(fake, account)
    assert [c["status_code"] for c in seen["containers"]] == ["EXPIRED", "PUBLISHED"]
    assert [p["id"] for p in seen["posts"]] == [result.post_id]
    assert resumed.saved[0].remote_id != old
