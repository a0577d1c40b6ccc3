"""The local outbox behind the Platform interface: publish, resume, status and metrics."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest

from reelforge.constants import DEFAULT_SIM_TRUTH
from reelforge.lib import outbox
from reelforge.lib.audience import load_truth
from reelforge.lib.outbox import OutboxClient
from reelforge.lib.platforms.base import PermanentPlatformError, PostRequest, UploadSession

PLAN = {"genre": "space", "hook_style": "question", "posting_hour": 18, "seed": 11}


class Sink:
    def __init__(self) -> None:
        self.saved: list[UploadSession] = []

    def save(self, session: UploadSession) -> None:
        self.saved.append(session)


def _request(tmp: Path) -> PostRequest:
    video, thumb, srt = tmp / "v.mp4", tmp / "t.jpg", tmp / "c.srt"
    video.write_bytes(b"video")
    thumb.write_bytes(b"jpeg")
    srt.write_text("1\n00:00:00,000 --> 00:00:01,000\nhi\n")
    return PostRequest(
        episode_id="space_facts-2026-11-21", channel="space_facts", account="local",
        video_path=video, content_hash=hashlib.sha256(b"video").hexdigest(), title="T",
        description="D", tags=("a", "b"), thumbnail_path=thumb, captions_srt_path=srt,
        extra={"plan": json.dumps(PLAN), "duration_s": "30.0", "experiment_id": "baseline"},
    )  # fmt: skip


def test_publish_saves_the_post_id_first_and_resumes(tmp_path: Path) -> None:
    client = OutboxClient(tmp_path / "out", load_truth(DEFAULT_SIM_TRUTH))
    request, sink = _request(tmp_path), Sink()
    result = client.publish(request, None, sink)
    assert result.state == "published" and result.post_id == outbox.post_id_for(
        request.content_hash
    )
    assert sink.saved[0].remote_id == result.post_id  # saved before the copy
    entry = outbox.find_entry(tmp_path / "out", result.post_id)
    assert entry is not None and {p.name for p in entry.iterdir()} == {
        "video.mp4", "metadata.json", "thumbnail.jpg", "captions.srt",
    }  # fmt: skip
    meta = json.loads((entry / "metadata.json").read_text())
    assert meta["plan"] == PLAN and meta["hashtags"] == ["a", "b"] and meta["synthetic_media"]
    again = client.publish(request, sink.saved[-1], Sink())
    assert (again.post_id, again.detail) == (result.post_id, "resumed")
    assert client.status(request, sink.saved[-1]).state == "published"
    assert len(outbox.entries(tmp_path / "out")) == 1


def test_metrics_come_from_the_simulator_and_grow_with_age(tmp_path: Path) -> None:
    client = OutboxClient(tmp_path / "out", load_truth(DEFAULT_SIM_TRUTH))
    post = client.publish(_request(tmp_path), None, Sink())
    published = dt.datetime(2026, 11, 21, 17, tzinfo=dt.UTC)
    ages = [client.metrics(post.post_id, published, published + dt.timedelta(hours=h))
            for h in (1, 24, 72, 168)]  # fmt: skip
    views = [m.views for m in ages]
    assert views == sorted(views) and views[0] < views[-1]
    assert ages[1] == client.metrics(post.post_id, published, published + dt.timedelta(hours=24))
    with pytest.raises(PermanentPlatformError, match="not in the outbox"):
        client.metrics("outbox-0000000000000000", published, published)
