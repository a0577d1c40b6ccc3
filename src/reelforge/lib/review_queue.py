"""The moderation review queue: flagged items wait here for an operator's decision.

An item is one flagged piece of one episode (the story text, the publish metadata, the
pictures), identified by the episode, the check and the hash of the flagged content, so
re-evaluating the same content finds the same item instead of queueing it twice. Reasons and
evidence name rules, categories and scores — never the offending text itself.

States: pending → approved | rejected, or superseded when another item of the same attempt is
rejected (the story is rewritten, so the rest of that attempt is moot). An approved item lets
its check pass (the episode resumes from where it stopped); each rejected version makes the
story regenerate with a new seed, until the channel's `max_rejections` ends the episode as
failed with the last reason.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Literal

import sqlalchemy as sa

from reelforge.lib.audit import AuditLog, record_in
from reelforge.lib.schema import create_tables

Decision = Literal["approved", "rejected"]
metadata = sa.MetaData()

review_items = sa.Table(
    "review_items",
    metadata,
    sa.Column("item_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("episode_id", sa.String(200), nullable=False, index=True),
    sa.Column("check_name", sa.String(80), nullable=False),
    sa.Column("content_hash", sa.String(64), nullable=False),
    sa.Column("attempt", sa.Integer, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("evidence_json", sa.Text, nullable=False),
    sa.Column("state", sa.String(12), nullable=False),
    sa.Column("decided_by", sa.String(120)),
    sa.Column("decision_reason", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("decided_at", sa.DateTime(timezone=True)),
    sa.UniqueConstraint("episode_id", "check_name", "content_hash", name="one_item_per_content"),
    sa.CheckConstraint(
        "state in ('pending', 'approved', 'rejected', 'superseded')", name="review_state"
    ),
)


class ReviewError(ValueError):
    """A decision that cannot be taken (unknown item, already decided, bad decision)."""


@dataclass(frozen=True)
class ReviewItem:
    item_id: int
    episode_id: str
    check_name: str
    content_hash: str
    attempt: int
    reason: str
    evidence: dict[str, Any]
    state: str
    decided_by: str | None
    decision_reason: str | None
    created_at: dt.datetime
    decided_at: dt.datetime | None


def _item(row: Any) -> ReviewItem:
    data = dict(row)
    data["evidence"] = json.loads(data.pop("evidence_json"))
    return ReviewItem(**data)


class ReviewQueue:
    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        create_tables(metadata, engine)
        AuditLog(engine)  # decisions are audited in the same commit

    def submit(
        self,
        episode_id: str,
        check_name: str,
        content_hash: str,
        attempt: int,
        reason: str,
        evidence: dict[str, Any],
    ) -> ReviewItem:
        """Queue flagged content, or return the item already queued for the same content."""
        found = self.find(episode_id, check_name, content_hash)
        if found is not None:
            return found
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    review_items.insert().values(
                        episode_id=episode_id, check_name=check_name, content_hash=content_hash,
                        attempt=attempt, reason=reason, evidence_json=json.dumps(evidence),
                        state="pending", created_at=dt.datetime.now(dt.UTC),
                    )
                )  # fmt: skip
        except sa.exc.IntegrityError:
            pass  # a concurrent run queued it first
        found = self.find(episode_id, check_name, content_hash)
        if found is None:  # not an assert: those vanish under python -O
            raise RuntimeError(f"review item for {episode_id}/{check_name} vanished after insert")
        return found

    def find(self, episode_id: str, check_name: str, content_hash: str) -> ReviewItem | None:
        c = review_items.c
        query = sa.select(review_items).where(
            c.episode_id == episode_id, c.check_name == check_name, c.content_hash == content_hash
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        return _item(row) if row else None

    def get(self, item_id: int) -> ReviewItem | None:
        with self.engine.connect() as conn:
            row = (
                conn.execute(sa.select(review_items).where(review_items.c.item_id == item_id))
                .mappings()
                .first()
            )
        return _item(row) if row else None

    def items(self, state: str | None = None, episode_id: str | None = None) -> list[ReviewItem]:
        query = sa.select(review_items).order_by(review_items.c.item_id)
        if state:
            query = query.where(review_items.c.state == state)
        if episode_id:
            query = query.where(review_items.c.episode_id == episode_id)
        with self.engine.connect() as conn:
            return [_item(r) for r in conn.execute(query).mappings().all()]

    def decide(self, item_id: int, decision: str, reason: str, reviewer: str) -> ReviewItem:
        """Approve or reject a pending item (once), with an audit entry in the same commit."""
        if decision not in ("approved", "rejected"):
            raise ReviewError(f"decision {decision!r} is not allowed; use approved or rejected")
        if not reviewer.strip():
            raise ReviewError("a reviewer name is required")
        with self.engine.begin() as conn:
            done = conn.execute(
                review_items.update()
                .where(review_items.c.item_id == item_id, review_items.c.state == "pending")
                .values(state=decision, decided_by=reviewer, decision_reason=reason,
                        decided_at=dt.datetime.now(dt.UTC))
            ).rowcount  # fmt: skip
            if not done:
                item = self.get(item_id)
                raise ReviewError(
                    f"review item {item_id} does not exist"
                    if item is None
                    else f"review item {item_id} was already {item.state} by {item.decided_by}"
                )
            item = self.get(item_id)
            if item is None:  # not an assert: those vanish under python -O
                raise RuntimeError(f"review item {item_id} vanished while being decided")
            if decision == "rejected":
                conn.execute(
                    review_items.update()
                    .where(review_items.c.episode_id == item.episode_id,
                           review_items.c.attempt == item.attempt,
                           review_items.c.state == "pending")
                    .values(state="superseded", decision_reason=f"item {item_id} rejected")
                )  # fmt: skip
            detail = {"reason": reason, "episode": item.episode_id, "check": item.check_name}
            record_in(conn, reviewer, f"review.{decision}", str(item_id), detail)
        item = self.get(item_id)
        if item is None:  # not an assert: those vanish under python -O
            raise RuntimeError(f"review item {item_id} vanished after its decision")
        return item

    def rejections(self, episode_id: str) -> list[ReviewItem]:
        """Rejected items of an episode, oldest first."""
        return self.items(state="rejected", episode_id=episode_id)

    def rejected_attempts(self, episode_id: str) -> int:
        """How many versions of the episode were rejected: the story's rewrite number."""
        return len({i.attempt for i in self.rejections(episode_id)})
