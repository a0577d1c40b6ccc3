"""Jobs: the whole episode, its resumption after a review, the operators' review job, and
the marts over all episodes."""

from typing import TYPE_CHECKING

import dagster as dg

from reelforge.constants import GROUP_ANALYTICS, GROUP_GENERATION, GROUP_PUBLISHING
from reelforge.defs.resources.storage import LedgerResource
from reelforge.lib.review_queue import ReviewError

if TYPE_CHECKING:
    from dagster._core.definitions.unresolved_asset_job_definition import (
        UnresolvedAssetJobDefinition,
    )

# dbt models roll up every episode: they are not partitioned and run in their own job.
MARTS = dg.AssetSelection.kind("dbt")

episode_job = dg.define_asset_job(
    name="episode",
    selection=dg.AssetSelection.groups(GROUP_GENERATION, GROUP_PUBLISHING, GROUP_ANALYTICS) - MARTS,
    description="Every stage of the selected calendar slots: plan → video → upload → warehouse.",
)


class ReviewDecision(dg.Config):
    """An operator's decision on one item of the moderation review queue."""

    item_id: int
    decision: str  # "approved" or "rejected"
    reason: str
    reviewer: str


@dg.op
def decide_review_item(
    context: dg.OpExecutionContext, config: ReviewDecision, ledger: LedgerResource
) -> None:
    """Records the decision (and its audit entry); the review_decisions sensor acts on it."""
    try:
        item = ledger.review_queue().decide(
            config.item_id, config.decision, config.reason, config.reviewer
        )
    except ReviewError as exc:
        raise dg.Failure(str(exc), allow_retries=False) from None
    context.log.info(
        f"review item {item.item_id} ({item.episode_id}, {item.check_name}) {item.state}"
    )


@dg.job
def review_decision() -> None:
    """Approve or reject a review-queue item (run config: item_id, decision, reason, reviewer)."""
    decide_review_item()


def _resume_after(asset: str, what: str) -> "UnresolvedAssetJobDefinition":
    """After an approval, the episode resumes below the approved stage: the stage's checks run
    again (and pass on the approval), nothing upstream is rebuilt."""
    return dg.define_asset_job(
        name=f"resume_after_{asset.removeprefix('scene_')}",
        selection=(
            dg.AssetSelection.checks_for_assets(dg.AssetKey(asset))
            | dg.AssetSelection.assets(asset).downstream(include_self=False)
        ),
        description=f"The rest of an episode whose {what} approved in the review queue.",
    )


resume_after_story = _resume_after("story", "story was")
resume_after_images = _resume_after("scene_images", "pictures were")
marts_job = dg.define_asset_job(
    name="analytics_marts",
    selection=MARTS,
    description="dbt build over the warehouse: staging views, marts and their tests.",
)
