"""Random faults on every route, many re-runs: each platform ends with exactly one post.

This is what the uploads asset does across retries and re-materializations: call `publish`
again with whatever session was saved last, until it succeeds, and then again and again.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from platform_helpers import Sink, linked, write_token_file

from reelforge.fakes.process import set_faults, state, stats
from reelforge.lib.platforms.base import Platform, PostRequest, TransientPlatformError
from reelforge.lib.platforms.instagram import Instagram
from reelforge.lib.platforms.retrying import Backoff
from reelforge.lib.platforms.tiktok import TikTok
from reelforge.lib.platforms.youtube import YouTube

FAULTS = {"rate": 0.25, "kinds": ["429", "500", "drop", "malformed"], "seed": 11}
RUNS = 50


def hammer(platform: Platform, request: PostRequest) -> tuple[set[str], int]:
    """Publish RUNS times, each run resuming from the last saved session; post ids seen."""
    sink = Sink()
    ids: set[str] = set()
    failures = 0
    for _ in range(RUNS):
        for _attempt in range(30):  # a run retries transient failures (RetryPolicy)
            try:
                ids.add(
                    platform.publish(request, sink.saved[-1] if sink.saved else None, sink).post_id
                )
                break
            except TransientPlatformError:
                failures += 1
        else:
            pytest.fail("never got through the faults")
    return ids, failures


def one_try() -> Backoff:
    return Backoff(attempts=2, sleep=lambda _s: None)


@pytest.mark.parametrize("name", ["youtube", "tiktok", "instagram"])
def test_random_faults_and_reruns_never_post_twice(
    fake: str, account: str, media: Callable[..., PostRequest], tmp_path: Path,
    name: str, links: Any,
) -> None:  # fmt: skip
    request = media(size=700_000)
    platform: Platform
    if name == "youtube":
        token = write_token_file(tmp_path / "t.json", refresh_token=account)
        platform = YouTube(
            token, base_url=f"{fake}/youtube/", token_uri=f"{fake}/youtube/oauth2/token",
            chunk_size=256 * 1024, backoff=one_try(),
        )  # fmt: skip
    elif name == "tiktok":
        set_faults(fake, options={"tiktok.min_chunk_bytes": 65536, "tiktok.polls": 1})
        platform = TikTok(
            account, base_url=f"{fake}/tiktok", chunk_size=128 * 1024, min_chunk_size=65536,
            poll_interval_s=0.0, backoff=one_try(),
        )  # fmt: skip
    else:
        request = linked(request, links)
        platform = Instagram(
            "token", account, base_url=f"{fake}/instagram", poll_interval_s=0.02,
            poll_deadline_s=2.0, backoff=one_try(),
        )  # fmt: skip
    options = {"tiktok.min_chunk_bytes": 65536, "tiktok.polls": 1, "instagram.polls": 1}
    set_faults(fake, **FAULTS, options=options)
    ids, failures = hammer(platform, request)
    set_faults(fake)

    snap = state(fake, name)
    posts = snap["accounts"][account]["posts"]
    assert len(ids) == 1 and [p["id"] for p in posts] == list(ids)
    assert posts[0].get("sha256") == request.content_hash
    assert snap["accounts"][account]["duplicates"] == 0
    bitten = sum(n for k, n in stats(fake).items() if k.startswith(name) and ".fault." in k)
    assert bitten > 0 and failures >= 0  # the faults did hit this platform's routes
    if name == "youtube":
        sessions = [s for s in snap["sessions"].values() if s["account"] == account]
        assert sum(s["duplicate_bytes"] for s in sessions) == 0
    if name == "tiktok":
        publishes = [p for p in snap["publishes"].values() if p["account"] == account]
        assert sum(p["duplicate_bytes"] for p in publishes) == 0
