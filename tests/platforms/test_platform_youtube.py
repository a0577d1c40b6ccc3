"""The real google-api-python-client against the fake YouTube on 127.0.0.1."""

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
from platform_helpers import Sink, no_wait, write_token_file

from reelforge.fakes.process import set_faults, state, stats
from reelforge.lib.platforms.base import (
    PermanentPlatformError,
    PostRequest,
    QuotaExceeded,
    TransientPlatformError,
    UploadSession,
)
from reelforge.lib.platforms.retrying import Backoff
from reelforge.lib.platforms.youtube import YouTube, next_pacific_midnight, video_body

KIB = 1024
NOW = dt.datetime(2026, 12, 1, 17, 30, tzinfo=dt.UTC)


def client(fake: str, token: Path, **kw: Any) -> YouTube:
    kw.setdefault("chunk_size", 256 * KIB)
    kw.setdefault("backoff", no_wait())
    return YouTube(
        token, base_url=f"{fake}/youtube/", token_uri=f"{fake}/youtube/oauth2/token", **kw
    )


def channel(fake: str, account: str) -> dict[str, Any]:
    snap = state(fake, "youtube")
    sessions = {k: v for k, v in snap["sessions"].items() if v["account"] == account}
    return {"posts": snap["accounts"].get(account, {}).get("posts", []), "sessions": sessions}


@pytest.fixture()
def token(tmp_path: Path, account: str) -> Path:
    return write_token_file(tmp_path / "youtube-token.json", refresh_token=account)


def test_publish_uploads_in_chunks_sets_thumbnail_captions_and_disclosures(
    fake: str, token: Path, account: str, media: Callable[..., PostRequest]
) -> None:
    publish_at = dt.datetime(2026, 12, 2, 18, 0, tzinfo=dt.UTC)
    request = media(size=900_000, publish_at=publish_at, made_for_kids=False)
    sink = Sink()
    result = client(fake, token).publish(request, None, sink)

    seen = channel(fake, account)
    assert [p["id"] for p in seen["posts"]] == [result.post_id]
    post = seen["posts"][0]
    assert post["sha256"] == request.content_hash  # every byte arrived, in order
    assert post["captions"] == 1 and post["thumbnail_bytes"] > 0
    assert post["status"]["privacyStatus"] == "private"  # publishAt needs private
    assert post["status"]["publishAt"] == "2026-12-02T18:00:00Z"
    assert post["status"]["containsSyntheticMedia"] is True
    assert post["status"]["selfDeclaredMadeForKids"] is False
    assert post["snippet"]["tags"] == ["space", "facts"]
    assert post["snippet"]["defaultLanguage"] == "en"
    (session,) = seen["sessions"].values()
    assert session["chunks"] == 4 and session["duplicate_bytes"] == 0
    # The session URI is saved before any byte, then after every committed chunk.
    commits = [s.committed_bytes for s in sink.saved]
    assert commits[:5] == [0, 256 * KIB, 512 * KIB, 768 * KIB, 900_000]
    assert sink.saved[0].session_uri and sink.saved[0].remote_id is None
    assert sink.last.remote_id == result.post_id
    assert result.state == "published" and result.url.endswith(result.post_id)

    # Publishing again with the final session posts nothing and adds no caption track.
    again = client(fake, token).publish(request, sink.last, Sink())
    assert again.post_id == result.post_id
    seen = channel(fake, account)
    assert len(seen["posts"]) == 1 and seen["posts"][0]["captions"] == 1
    assert len(seen["sessions"]) == 1
    assert stats(fake).get("youtube.thumbnails.set.ok") == 1  # done steps are not redone
    assert sink.last.detail == "uploaded; thumbnail set; captions inserted"


def test_connection_cut_mid_chunk_resumes_from_the_committed_byte(
    fake: str, token: Path, account: str, media: Callable[..., PostRequest]
) -> None:
    set_faults(fake, options={"youtube.cut_chunk": 2})  # half of chunk 2 lands, then a cut
    request = media(size=1_300_000)
    result = client(fake, token, chunk_size=512 * KIB).publish(request, None, Sink())

    seen = channel(fake, account)
    (session,) = seen["sessions"].values()
    assert session["duplicate_bytes"] == 0  # the status query told it where to go on
    assert session["bytes_received"] == request.video_path.stat().st_size + 256 * KIB
    assert [p["id"] for p in seen["posts"]] == [result.post_id]
    assert seen["posts"][0]["sha256"] == request.content_hash


def test_5xx_mid_upload_is_retried_then_resumed_by_a_later_attempt(
    fake: str, token: Path, account: str, media: Callable[..., PostRequest]
) -> None:
    # Within one publish: a 500 on the third chunk is retried (status query, then resend).
    set_faults(fake, script={"youtube.upload.put": ["ok", "ok", "500"]})
    first = client(fake, token).publish(media(size=1_000_000), None, Sink())
    # With no retries left, a 503 surfaces as transient with the session saved so far...
    request = media(size=1_000_000)
    set_faults(fake, script={"youtube.upload.put": ["ok", "503"]})
    sink = Sink()
    impatient = client(fake, token, backoff=Backoff(attempts=1, sleep=lambda _s: None))
    with pytest.raises(TransientPlatformError):
        impatient.publish(request, None, sink)
    assert sink.last.committed_bytes == 256 * KIB and sink.last.session_uri
    # ...and the next attempt continues that session instead of opening another.
    second = client(fake, token).publish(request, sink.last, Sink())

    seen = channel(fake, account)
    assert sorted(p["id"] for p in seen["posts"]) == sorted([first.post_id, second.post_id])
    assert len(seen["sessions"]) == 2
    assert all(s["duplicate_bytes"] == 0 for s in seen["sessions"].values())
    assert {p["sha256"] for p in seen["posts"]} >= {request.content_hash}


_UPLOADER = textwrap.dedent(
    """
    import json, sys
    from dataclasses import asdict
    from pathlib import Path
    from reelforge.lib.platforms.base import PostRequest
    from reelforge.lib.platforms.youtube import YouTube

    fake, token, video, digest, out = sys.argv[1:]

    class FileSink:
        def save(self, session):
            tmp = Path(out + ".tmp")
            tmp.write_text(json.dumps(asdict(session)))
            tmp.replace(out)

    request = PostRequest(
        episode_id="e", channel="c", account="a", video_path=Path(video), content_hash=digest,
        title="Killed mid-file", description="", tags=(),
    )
    YouTube(Path(token), base_url=fake + "/youtube/", token_uri=fake + "/youtube/oauth2/token",
            chunk_size=256 * 1024).publish(request, None, FileSink())
    """
)


def test_upload_killed_mid_file_resumes_sending_only_the_missing_bytes(
    fake: str, token: Path, account: str, media: Callable[..., PostRequest], tmp_path: Path
) -> None:
    request = media(size=2_500_000)
    size = request.video_path.stat().st_size
    saved = tmp_path / "session.json"
    set_faults(fake, options={"youtube.chunk_delay_s": 0.15})
    proc = subprocess.Popen(
        [sys.executable, "-c", _UPLOADER, fake, str(token), str(request.video_path),
         request.content_hash, str(saved)],
        stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if saved.exists() and json.loads(saved.read_text())["committed_bytes"] >= 768 * KIB:
                break
            time.sleep(0.02)
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        os.kill(proc.pid, signal.SIGKILL)  # mid-file, no clean-up of any kind
    finally:
        proc.wait(timeout=10)
    killed_at = UploadSession(**json.loads(saved.read_text()))
    assert 0 < killed_at.committed_bytes < size and killed_at.remote_id is None

    set_faults(fake)  # full speed for the resumed attempt
    sink = Sink()
    result = client(fake, token).publish(request, killed_at, sink)

    seen = channel(fake, account)
    (session,) = seen["sessions"].values()  # the same session: no second upload started
    assert session["duplicate_bytes"] == 0  # not one committed byte was sent again
    assert session["bytes_received"] - session["discarded_bytes"] == size
    assert [p["id"] for p in seen["posts"]] == [result.post_id]
    assert seen["posts"][0]["sha256"] == request.content_hash
    # The resumed attempt started from the server's answer, not from byte 0.
    assert sink.saved[0].committed_bytes >= killed_at.committed_bytes


def test_quota_exceeded_defers_to_the_next_pacific_midnight(
    fake: str, token: Path, account: str, media: Callable[..., PostRequest]
) -> None:
    set_faults(fake, options={"youtube.quota_exceeded": True})
    with pytest.raises(QuotaExceeded) as caught:
        client(fake, token, clock=lambda: NOW).publish(media(), None, Sink())
    assert "quotaExceeded" in caught.value.reason
    assert caught.value.not_before == dt.datetime(2026, 12, 2, 8, 0, tzinfo=dt.UTC)  # PST
    assert channel(fake, account)["posts"] == []


def test_upload_limit_exceeded_is_a_quota_not_a_failure(
    fake: str, token: Path, account: str, media: Callable[..., PostRequest]
) -> None:
    set_faults(fake, options={"youtube.upload_limit": 1})
    yt = client(fake, token, clock=lambda: NOW)
    yt.publish(media(size=300_000), None, Sink())
    with pytest.raises(QuotaExceeded) as caught:
        yt.publish(media(size=300_000), None, Sink())
    assert "uploadLimitExceeded" in caught.value.reason
    assert caught.value.not_before == NOW + dt.timedelta(hours=24)
    assert len(channel(fake, account)["posts"]) == 1


def test_revoked_token_is_permanent_with_googles_reason(
    fake: str, token: Path, account: str, media: Callable[..., PostRequest]
) -> None:
    set_faults(fake, options={"youtube.revoked": True})
    with pytest.raises(PermanentPlatformError) as caught:
        client(fake, token).publish(media(), None, Sink())
    assert "invalid_grant" in caught.value.reason
    assert "fake-client-secret" not in str(caught.value)
    assert channel(fake, account)["posts"] == []


def test_policy_rejection_is_permanent_with_the_reason(
    fake: str, token: Path, account: str, media: Callable[..., PostRequest]
) -> None:
    set_faults(fake, options={"youtube.reject": "duplicate"})
    with pytest.raises(PermanentPlatformError, match="rejected: duplicate"):
        client(fake, token).publish(media(size=300_000), None, Sink())


def test_processing_then_published_through_status(
    fake: str, token: Path, media: Callable[..., PostRequest]
) -> None:
    set_faults(fake, options={"youtube.processing_polls": 1})
    yt = client(fake, token)
    request = media(size=300_000, thumbnail_path=None, captions_srt_path=None)
    sink = Sink()
    assert yt.publish(request, None, sink).state == "processing"
    assert yt.status(request, sink.last).state == "published"


def test_metrics_combine_analytics_and_statistics(
    fake: str, token: Path, media: Callable[..., PostRequest]
) -> None:
    yt = client(fake, token)
    post = yt.publish(media(size=300_000), None, Sink())
    now = dt.datetime.now(dt.UTC)
    day1 = yt.metrics(post.post_id, now, now + dt.timedelta(hours=1))
    week = yt.metrics(post.post_id, now, now + dt.timedelta(days=7))
    assert 0 < day1.views < week.views
    assert week.watch_time_s > 0 and 0 < week.avg_view_pct <= 100
    assert week.likes > 0 and week.avg_view_duration_s > 0


def test_missing_token_file_is_permanent(
    fake: str, tmp_path: Path, media: Callable[..., PostRequest]
) -> None:
    with pytest.raises(PermanentPlatformError, match="token file not found"):
        client(fake, tmp_path / "nope.json").publish(media(size=1000), None, Sink())


def test_pacific_midnight_and_video_body(media: Callable[..., PostRequest]) -> None:
    summer = dt.datetime(2026, 7, 1, 6, 59, tzinfo=dt.UTC)  # 23:59 PDT on June 30
    assert next_pacific_midnight(summer) == dt.datetime(2026, 7, 1, 7, 0, tzinfo=dt.UTC)
    body = video_body(media(size=10, title="<b>" + "x" * 120, privacy="public"))
    assert len(body["snippet"]["title"]) == 100 and "<" not in body["snippet"]["title"]
    assert body["status"]["privacyStatus"] == "public" and "publishAt" not in body["status"]


def test_a_missing_thumbnail_is_permanent_before_any_upload(
    fake: str, token: Path, account: str, media: Callable[..., PostRequest], tmp_path: Path
) -> None:
    request = media(size=1000, thumbnail_path=tmp_path / "gone.png")
    with pytest.raises(PermanentPlatformError, match="thumbnail file missing"):
        client(fake, token).publish(request, None, Sink())
    assert channel(fake, account)["sessions"] == {}


def test_a_session_the_server_forgot_starts_over_once(
    fake: str, token: Path, account: str, media: Callable[..., PostRequest]
) -> None:
    request = media(size=600_000)
    set_faults(fake, script={"youtube.upload.put": ["ok", "503"]})
    sink = Sink()
    impatient = client(fake, token, backoff=Backoff(attempts=1, sleep=lambda _s: None))
    with pytest.raises(TransientPlatformError):
        impatient.publish(request, None, sink)
    stale = sink.last
    set_faults(fake, options={"youtube.forget_sessions": True})
    resumed = Sink()
    with pytest.raises(TransientPlatformError):  # the new session is "forgotten" too
        client(fake, token, backoff=Backoff(attempts=2, sleep=lambda _s: None)).publish(
            request, stale, resumed
        )
    set_faults(fake)
    result = client(fake, token).publish(request, resumed.last, Sink())
    seen = channel(fake, account)
    assert [p["id"] for p in seen["posts"]] == [result.post_id]
    assert seen["posts"][0]["sha256"] == request.content_hash
    assert all(s["duplicate_bytes"] == 0 for s in seen["sessions"].values())
