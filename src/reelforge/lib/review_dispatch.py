"""What the review sensor launches for decided review items (pure: items in, runs out).

Approved → the rest of the episode below the approved stage; rejected → the whole episode
again (its story is rewritten with a new seed, or it fails once out of rejections). Each
decision launches exactly one run: the run key names the item and its decision.
"""

from __future__ import annotations

from dataclasses import dataclass

from reelforge.lib.plan import slot_of_episode
from reelforge.lib.review_queue import ReviewItem

# The job that resumes an episode after approval of each check, by check name.
RESUME_JOBS = {
    "story_moderation": "resume_after_story",
    "publish_metadata_moderation": "resume_after_story",
    "scene_images_moderation": "resume_after_images",
}
REGENERATE_JOB = "episode"


@dataclass(frozen=True)
class Dispatch:
    job: str
    date: str
    channel: str
    run_key: str
    item_ids: tuple[int, ...]
    why: str


def dispatches(decided: list[ReviewItem], pending: list[ReviewItem]) -> list[Dispatch]:
    """One run per episode version and stage: a rejection rewrites the episode; approvals
    resume it once none of its items of that version is still waiting (the checks would stop
    it again)."""
    waiting = {(i.episode_id, i.attempt) for i in pending}
    groups: dict[tuple[str, int, str], list[ReviewItem]] = {}
    for item in decided:
        if item.state == "rejected":
            job = REGENERATE_JOB
        elif item.state == "approved":
            job = RESUME_JOBS.get(item.check_name, REGENERATE_JOB)
        else:
            continue
        groups.setdefault((item.episode_id, item.attempt, job), []).append(item)
    rewritten = {(e, a) for e, a, job in groups if job == REGENERATE_JOB}
    out = []
    for (episode, attempt, job), items in sorted(groups.items()):
        if job != REGENERATE_JOB and (
            (episode, attempt) in waiting or (episode, attempt) in rewritten
        ):
            continue
        date, channel = slot_of_episode(episode)
        state = "rejected" if job == REGENERATE_JOB else "approved"
        why = "rejected: rewrite the story" if job == REGENERATE_JOB else "approved: resume"
        ids = tuple(sorted(i.item_id for i in items))
        out.append(
            Dispatch(job, date, channel, f"review:{episode}:v{attempt}:{state}:{job}", ids, why)
        )
    return out
