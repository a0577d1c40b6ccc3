"""The platform resources: typed config, secrets through dg.EnvVar, clients that work."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import dagster as dg
import pytest
from platform_helpers import Sink, write_token_file

from reelforge.constants import (
    ENV_INSTAGRAM_ACCESS_TOKEN,
    ENV_INSTAGRAM_USER_ID,
    ENV_TIKTOK_ACCESS_TOKEN,
    ENV_YOUTUBE_TOKEN_FILE,
    account_env,
)
from reelforge.defs.resources.platform_clients import (
    InstagramPlatform,
    S3MediaLinks,
    TikTokPlatform,
    YouTubePlatform,
)
from reelforge.fakes.process import set_faults, state
from reelforge.lib.platforms.base import PostRequest, TransientPlatformError


def test_resources_resolve_env_secrets_and_publish_through_the_fakes(
    fake: str, account: str, media: Callable[..., PostRequest], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    token_file = write_token_file(tmp_path / "yt.json", refresh_token=account)
    monkeypatch.setenv(ENV_YOUTUBE_TOKEN_FILE, str(token_file))
    monkeypatch.setenv(ENV_TIKTOK_ACCESS_TOKEN, account)
    resources = {
        "youtube": YouTubePlatform(
            account="space", token_file=dg.EnvVar(ENV_YOUTUBE_TOKEN_FILE),
            base_url=f"{fake}/youtube/", token_uri=f"{fake}/youtube/oauth2/token",
            chunk_size_kib=256, retry_base_s=0.0,
        ),
        "tiktok": TikTokPlatform(
            account="space", access_token=dg.EnvVar(ENV_TIKTOK_ACCESS_TOKEN),
            base_url=f"{fake}/tiktok", chunk_size_kib=64, min_chunk_size_kib=64,
            poll_interval_s=0.0, retry_base_s=0.0,
        ),
    }  # fmt: skip
    set_faults(fake, options={"tiktok.min_chunk_bytes": 65536, "tiktok.polls": 1})
    request = media(size=300_000)
    with dg.build_resources(resources) as built:
        yt = built.youtube.client()
        tt = built.tiktok.client()
        assert (yt.name, tt.name) == ("youtube", "tiktok")
        assert yt.chunk_size == 256 * 1024 and tt.chunk_size == 64 * 1024
        posted = {
            yt.publish(request, None, Sink()).post_id,
            tt.publish(request, None, Sink()).post_id,
        }
    on_youtube = state(fake, "youtube")["accounts"][account]["posts"]
    on_tiktok = state(fake, "tiktok")["accounts"][account]["posts"]
    assert {p["id"] for p in on_youtube + on_tiktok} == posted


def test_defaults_are_the_public_endpoints_and_links_need_a_bucket(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(ENV_INSTAGRAM_ACCESS_TOKEN, "secret-ig-token")
    monkeypatch.setenv(ENV_INSTAGRAM_USER_ID, "17841400000000000")
    resources = {
        "instagram": InstagramPlatform(
            account="space", access_token=dg.EnvVar(ENV_INSTAGRAM_ACCESS_TOKEN),
            ig_user_id=dg.EnvVar(ENV_INSTAGRAM_USER_ID),
        ),
        "links": S3MediaLinks(bucket="reelforge-media", endpoint_url="http://127.0.0.1:9"),
    }  # fmt: skip
    with dg.build_resources(resources) as built:
        ig = built.instagram.client()
        assert str(ig.api.client.base_url) == "https://graph.facebook.com/v21.0/"
        assert built.links.links().bucket == "reelforge-media"
    assert YouTubePlatform(account="a", token_file="t").client().base_url is None
    assert account_env(ENV_TIKTOK_ACCESS_TOKEN, "space-facts") == "TIKTOK_ACCESS_TOKEN__SPACE_FACTS"


def test_secrets_stay_out_of_error_messages(
    media: Callable[..., PostRequest], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_INSTAGRAM_ACCESS_TOKEN, "secret-ig-token")
    monkeypatch.setenv(ENV_TIKTOK_ACCESS_TOKEN, "secret-tt-token")
    dead = "http://127.0.0.1:9"  # nothing listens there
    resources = {
        "instagram": InstagramPlatform(
            account="a", access_token=dg.EnvVar(ENV_INSTAGRAM_ACCESS_TOKEN), ig_user_id="1",
            base_url=dead, retry_attempts=1,
        ),
        "tiktok": TikTokPlatform(
            account="a", access_token=dg.EnvVar(ENV_TIKTOK_ACCESS_TOKEN), base_url=dead,
            retry_attempts=1,
        ),
    }  # fmt: skip
    request = media(size=1_000, media_url="http://127.0.0.1:9/signed?X-Amz-Signature=s")
    with dg.build_resources(resources) as built:
        for platform in (built.instagram.client(), built.tiktok.client()):
            with pytest.raises(TransientPlatformError) as caught:
                platform.publish(request, None, Sink())
            text = f"{caught.value} {caught.value.reason!r}"
            assert "secret-" not in text and "Signature" not in text
