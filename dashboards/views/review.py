"""Review queue: moderation items held by the blocking checks, approved or rejected here."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
import streamlit as st
from common import settings

from reelforge.lib.review_queue import ReviewError, ReviewQueue


@st.cache_resource
def review_queue(url: str) -> ReviewQueue:
    return ReviewQueue(sa.create_engine(url))


def _evidence(evidence: dict) -> str:
    top = sorted(evidence.get("scores", {}).items(), key=lambda kv: -kv[1])[:3]
    scores = ", ".join(f"{k} {v:.2f}" for k, v in top)
    return f"{evidence.get('provider', '?')}: {scores}" if scores else evidence.get("provider", "")


st.title("Review queue")
st.caption(
    "Flagged stories, publish metadata and pictures wait here. Approving resumes the episode "
    "below the approved stage; rejecting rewrites its story with a new seed (up to the "
    "channel's `moderation.max_rejections`). Reasons name rules and scores, never the text."
)
queue = review_queue(settings().ledger_url)
pending = queue.items(state="pending")
if not pending:
    st.info("Nothing waits for review: every checked story and picture passed (or was decided).")
else:
    st.dataframe(
        pd.DataFrame(
            [{"item": i.item_id, "episode": i.episode_id, "check": i.check_name,
              "version": i.attempt, "reason": i.reason, "evidence": _evidence(i.evidence),
              "queued": i.created_at} for i in pending]
        ),
        hide_index=True,
        key="review_pending",
    )  # fmt: skip
    cols = st.columns([1, 1, 2, 1])
    item_id = cols[0].selectbox("Item", [i.item_id for i in pending], key="review_item")
    decision = cols[1].radio("Decision", ["approved", "rejected"], key="review_decision")
    reason = cols[2].text_input("Reason", key="review_reason")
    reviewer = cols[3].text_input("Reviewer", value="operator", key="review_reviewer")
    if st.button("Record decision", type="primary", key="review_save"):
        if not reason.strip():
            st.error("Give a reason: it goes into the audit log and the episode's history.")
        else:
            try:
                item = queue.decide(int(item_id), decision, reason.strip(), reviewer)
            except ReviewError as err:
                st.error(str(err))
            else:
                st.success(f"Item {item.item_id} {item.state}; the review sensor acts on it.")

decided = [i for i in queue.items() if i.state != "pending"]
st.subheader("Decided")
if decided:
    st.dataframe(
        pd.DataFrame(
            [{"item": i.item_id, "episode": i.episode_id, "check": i.check_name,
              "state": i.state, "by": i.decided_by, "why": i.decision_reason,
              "at": i.decided_at} for i in reversed(decided)]
        ),
        hide_index=True,
        key="review_decided",
    )  # fmt: skip
else:
    st.caption("no decisions yet")
