"""The TikTok client against the fake Content Posting API on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from platform_helpers import Sink, no_wait

from reelforge.fakes.process import set_faults, state
from reelforge.lib.platforms.base import (
    PermanentPlatformError,
    PostRequest,
    QuotaExceeded,
    TransientPlatformError,
    UploadSession,
)
from reelforge.lib.platforms.retrying import Backoff
from reelforge.lib.platforms.tiktok import TikTok, chunk_plan, chunk_ranges

KIB = 1024
SMALL = {"tiktok.min_chunk_bytes": 64 * KIB}
NOW = dt.datetime(2026, 12, 1, 17, 30, tzinfo=dt.UTC)


def client(fake: str, token: str, **kw: Any) -> TikTok:
    kw.setdefault("backoff", no_wait())
    return TikTok(
        token, base_url=f"{fake}/tiktok", chunk_size=64 * KIB, min_chunk_size=64 * KIB,
        poll_interval_s=0.0, clock=lambda: NOW, **kw,
    )  # fmt: skip


def account_view(fake: str, token: str) -> dict[str, Any]:
    snap = state(fake, "tiktok")
    publishes = {k: v for k, v in snap["publishes"].items() if v["account"] == token}
    return {"posts": snap["accounts"].get(token, {}).get("posts", []), "publishes": publishes}


def test_chunked_upload_then_status_polling_to_publish_complete(
    fake: str, account: str, media: Callable[..., PostRequest]
) -> None:
    set_faults(fake, options={**SMALL, "tiktok.polls": 3})
    request = media(size=300_000, privacy="public")
    sink = Sink()
    result = client(fake, account).publish(request, None, sink)

    seen = account_view(fake, account)
    (publish,) = seen["publishes"].values()
    assert publish["total_chunk_count"] == 4 and publish["chunk_size"] == 64 * KIB
    assert publish["duplicate_bytes"] == 0 and publish["is_aigc"] is True
    (post,) = seen["posts"]
    assert post["id"] == result.post_id and post["sha256"] == request.content_hash
    assert post["privacy_level"] == "PUBLIC_TO_EVERYONE"
    assert post["title"].endswith("#space #facts")
    assert result.state == "published" and result.url.endswith(result.post_id)
    # publish_id and upload_url saved at init, then the committed bytes after every chunk.
    assert [s.committed_bytes for s in sink.saved] == [0, 65536, 131072, 196608, 300_000]
    assert all(s.remote_id == sink.saved[0].remote_id for s in sink.saved)

    # Again with the last session: no second init, no second post.
    again = client(fake, account).publish(request, sink.last, Sink())
    assert again.post_id == result.post_id
    assert len(account_view(fake, account)["posts"]) == 1


def test_interrupted_upload_resumes_at_the_next_chunk(
    fake: str, account: str, media: Callable[..., PostRequest]
) -> None:
    request = media(size=300_000)
    set_faults(fake, options={**SMALL, "tiktok.cut_chunk": 2, "tiktok.polls": 1})
    client(fake, account).publish(request, None, Sink())  # a cut line, retried in-call
    set_faults(fake, options={**SMALL, "tiktok.polls": 1}, script={"tiktok.upload": ["ok", "500"]})
    sink = Sink()
    impatient = client(fake, account, backoff=Backoff(attempts=1, sleep=lambda _s: None))
    second = media(size=300_000)
    with pytest.raises(TransientPlatformError):
        impatient.publish(second, None, sink)
    assert sink.last.committed_bytes == 64 * KIB
    client(fake, account).publish(second, sink.last, Sink())

    seen = account_view(fake, account)
    assert len(seen["publishes"]) == 2 and len(seen["posts"]) == 2
    assert all(p["duplicate_bytes"] == 0 for p in seen["publishes"].values())
    assert {p["sha256"] for p in seen["posts"]} == {request.content_hash, second.content_hash}


def test_rate_limit_and_daily_cap_are_quotas(
    fake: str, account: str, media: Callable[..., PostRequest]
) -> None:
    set_faults(fake, options={**SMALL, "tiktok.rate_limited": True})
    with pytest.raises(QuotaExceeded) as caught:
        client(fake, account).publish(media(size=1000), None, Sink())
    assert "rate_limit_exceeded" in caught.value.reason
    assert caught.value.not_before == NOW + dt.timedelta(minutes=1)
    set_faults(fake, options={**SMALL, "tiktok.daily_cap": 1, "tiktok.polls": 1})
    client(fake, account).publish(media(size=1000), None, Sink())
    with pytest.raises(QuotaExceeded, match="spam_risk_too_many_posts") as caught:
        client(fake, account).publish(media(size=1000), None, Sink())
    assert caught.value.not_before == NOW + dt.timedelta(hours=24)
    assert len(account_view(fake, account)["posts"]) == 1


@pytest.mark.parametrize(
    ("option", "code"),
    [("tiktok.revoked", "access_token_invalid"), ("tiktok.scope_missing", "scope_not_authorized")],
)
def test_bad_credentials_are_permanent(
    fake: str, account: str, media: Callable[..., PostRequest], option: str, code: str
) -> None:
    set_faults(fake, options={option: True})
    with pytest.raises(PermanentPlatformError, match=code):
        client(fake, account).publish(media(size=1000), None, Sink())


def test_processing_failure_is_permanent_with_fail_reason(
    fake: str, account: str, media: Callable[..., PostRequest]
) -> None:
    set_faults(fake, options={**SMALL, "tiktok.fail": "frame_rate_check_failed"})
    with pytest.raises(PermanentPlatformError, match="frame_rate_check_failed"):
        client(fake, account).publish(media(size=1000), None, Sink())


def test_status_polls_a_post_left_processing_and_metrics_read_it(
    fake: str, account: str, media: Callable[..., PostRequest]
) -> None:
    set_faults(fake, options={**SMALL, "tiktok.polls": 3})
    tt = client(fake, account, poll_deadline_s=0.0)
    request = media(size=1000)
    sink = Sink()
    assert tt.publish(request, None, sink).state == "processing"
    assert tt.status(request, sink.last).state == "processing"
    done = tt.status(request, sink.last)
    assert done.state == "published"
    metrics = tt.metrics(done.post_id, NOW, NOW)
    assert metrics.views > 0 and 0 < metrics.likes < metrics.views and metrics.shares >= 0


def test_chunk_rules() -> None:
    mb = 1024 * 1024
    assert chunk_plan(3 * mb, 10 * mb) == (3 * mb, 1)  # under 5 MB: one chunk
    assert chunk_plan(47 * mb, 10 * mb) == (10 * mb, 4)  # the last chunk takes 17 MB
    assert chunk_ranges(47 * mb, 10 * mb, 4)[-1] == (30 * mb, 47 * mb - 1)


_UPLOADER = textwrap.dedent(
    """
    import json, sys
    from dataclasses import asdict
    from pathlib import Path
    from reelforge.lib.platforms.base import PostRequest
    from reelforge.lib.platforms.tiktok import TikTok

    fake, token, video, out = sys.argv[1:]

    class FileSink:
        def save(self, session):
            tmp = Path(out + ".tmp")
            tmp.write_text(json.dumps(asdict(session)))
            tmp.replace(out)

    request = PostRequest(
        episode_id="e", channel="c", account="a", video_path=Path(video), content_hash="",
        title="Killed mid-file", description="", tags=(),
    )
    TikTok(token, base_url=fake + "/tiktok", chunk_size=65536, min_chunk_size=65536,
           poll_interval_s=0.0).publish(request, None, FileSink())
    """
)


def test_upload_killed_mid_file_resumes_from_what_tiktok_reports(
    fake: str, account: str, media: Callable[..., PostRequest], tmp_path: Path
) -> None:
    request = media(size=700_000)
    saved = tmp_path / "session.json"
    set_faults(fake, options={**SMALL, "tiktok.chunk_delay_s": 0.15, "tiktok.polls": 1})
    proc = subprocess.Popen(
        [sys.executable, "-c", _UPLOADER, fake, account, str(request.video_path), str(saved)],
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if saved.exists() and json.loads(saved.read_text())["committed_bytes"] >= 3 * 65536:
                break
            time.sleep(0.02)
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=10)
    killed_at = UploadSession(**json.loads(saved.read_text()))
    assert 0 < killed_at.committed_bytes < 700_000

    set_faults(fake, options={**SMALL, "tiktok.polls": 1})
    result = client(fake, account).publish(request, killed_at, Sink())
    seen = account_view(fake, account)
    (publish,) = seen["publishes"].values()  # the same publish_id: no second init
    assert publish["duplicate_bytes"] == 0 and publish["bytes_received"] == 700_000
    assert [p["id"] for p in seen["posts"]] == [result.post_id]
    assert seen["posts"][0]["sha256"] == request.content_hash
