"""The moderation gate: a verdict plus the review queue decide whether content may go on."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from reelforge.lib.moderation.verdict import ModerationVerdict
from reelforge.lib.review_queue import ReviewItem, ReviewQueue


@dataclass(frozen=True)
class GateOutcome:
    passed: bool
    reason: str
    item: ReviewItem | None = None


def content_hash(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8") if isinstance(part, str) else part)
        digest.update(b"\x00")
    return digest.hexdigest()


def gate(
    verdict: ModerationVerdict,
    queue: ReviewQueue,
    *,
    episode_id: str,
    check_name: str,
    digest: str,
    attempt: int,
) -> GateOutcome:
    """Clean content passes; flagged content passes only once an operator approved it."""
    if not verdict.flagged:
        return GateOutcome(True, f"clean ({verdict.provider})")
    reason = "; ".join(verdict.reasons) or "flagged"
    item = queue.submit(
        episode_id, check_name, digest, attempt, reason,
        {"reasons": verdict.reasons, "scores": verdict.scores, "provider": verdict.provider},
    )  # fmt: skip
    if item.state == "approved":
        return GateOutcome(True, f"approved by {item.decided_by}: {item.decision_reason}", item)
    if item.state == "rejected":
        return GateOutcome(False, f"rejected by {item.decided_by}: {item.decision_reason}", item)
    return GateOutcome(False, f"held for review (item {item.item_id}): {reason}", item)
