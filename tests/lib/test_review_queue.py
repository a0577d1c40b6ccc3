"""The review queue and what its decisions launch."""

from pathlib import Path

import pytest
import sqlalchemy as sa

from reelforge.lib.audit import AuditLog
from reelforge.lib.moderation import ModerationVerdict
from reelforge.lib.moderation.gate import content_hash, gate
from reelforge.lib.review_dispatch import dispatches
from reelforge.lib.review_queue import ReviewError, ReviewQueue

EP = "space_facts-2026-11-21"
FLAGGED = ModerationVerdict(True, ["banned_topic: moon"], {"banned_topic": 1.0}, "rules")


def _queue(tmp: Path) -> ReviewQueue:
    return ReviewQueue(sa.create_engine(f"sqlite:///{tmp / 'ledger.sqlite'}"))


def test_gate_queues_once_and_passes_only_after_approval(tmp_path: Path) -> None:
    queue = _queue(tmp_path)
    clean = ModerationVerdict(False, [], {}, "local")
    assert gate(clean, queue, episode_id=EP, check_name="c", digest="d", attempt=0).passed
    args = {"episode_id": EP, "check_name": "story_moderation", "digest": content_hash("x"),
            "attempt": 0}  # fmt: skip
    held = gate(FLAGGED, queue, **args)
    again = gate(FLAGGED, queue, **args)
    assert not held.passed and "held for review" in held.reason
    assert held.item.item_id == again.item.item_id and len(queue.items()) == 1
    queue.decide(held.item.item_id, "approved", "a fact, not a topic", "ana")
    assert gate(FLAGGED, queue, **args).passed
    with pytest.raises(ReviewError, match="already approved by ana"):
        queue.decide(held.item.item_id, "rejected", "changed my mind", "bo")
    with pytest.raises(ReviewError, match="decision 'maybe'"):
        queue.decide(held.item.item_id, "maybe", "", "bo")
    assert [e["action"] for e in AuditLog(queue.engine).entries()] == ["review.approved"]


def test_dispatch_resumes_once_per_version_and_rewrites_rejections(tmp_path: Path) -> None:
    queue = _queue(tmp_path)
    story = queue.submit(EP, "story_moderation", "h1", 0, "r", {})
    meta = queue.submit(EP, "publish_metadata_moderation", "h2", 0, "r", {})
    queue.decide(story.item_id, "approved", "ok", "ana")
    decided = [i for i in queue.items() if i.state != "pending"]
    assert dispatches(decided, queue.items(state="pending")) == []  # metadata still waits
    queue.decide(meta.item_id, "approved", "ok", "ana")
    [run] = dispatches(queue.items(state="approved"), [])
    assert (run.job, run.date, run.channel) == ("resume_after_story", "2026-11-21", "space_facts")
    assert run.item_ids == (story.item_id, meta.item_id)
    # A rejection of the next version supersedes its other items and rewrites the episode.
    v1 = queue.submit(EP, "story_moderation", "h3", 1, "r", {})
    queue.submit(EP, "publish_metadata_moderation", "h4", 1, "r", {})
    queue.decide(v1.item_id, "rejected", "off-brand", "bo")
    assert [i.state for i in queue.items()] == ["approved", "approved", "rejected", "superseded"]
    assert queue.rejected_attempts(EP) == 1
    runs = dispatches([i for i in queue.items() if i.state in ("approved", "rejected")], [])
    assert [(r.job, r.run_key) for r in runs] == [
        ("resume_after_story", f"review:{EP}:v0:approved:resume_after_story"),
        ("episode", f"review:{EP}:v1:rejected:episode"),
    ]
